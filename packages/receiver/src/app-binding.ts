// Deliveries bound to your app (see packages/rules/src/url-secret.ts for the threat):
// the URL secret is checked before anything else (in constant time, so timing tells nothing of
// it), the allowlists after the signature, on what RealtimeKit signed or sent.
import { URL_SECRET_PARAM, urlSecretProblem } from '@realtimekit-webhooks/rules';
import type { UnknownPayload } from './delivery.js';
import { WebhookVerificationError } from './errors.js';
import type { WebhookReceiverOptions } from './settings.js';

/** The receiver's options that bind deliveries to your app. */
export type AppBindingOptions = Pick<
  WebhookReceiverOptions,
  'urlSecret' | 'webhookIds' | 'organizationIds'
>;

/** Equality that takes as long whatever the first difference: `given` against `expected`. */
function sameText(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i += 1) {
    difference |= (given.charCodeAt(i) | 0) ^ expected.charCodeAt(i);
  }
  return difference === 0;
}

/** The organization a payload names: the meeting's organizer, or the recording's organization. */
function organizationOf(payload: UnknownPayload): unknown {
  const meeting = payload.meeting as { organizedBy?: { id?: unknown } } | undefined;
  const recording = payload.recording as { organizationId?: unknown } | undefined;
  const organizer = payload.organizedBy as { id?: unknown } | undefined;
  return meeting?.organizedBy?.id ?? organizer?.id ?? recording?.organizationId;
}

const refused = (
  reason: 'wrong-secret' | 'unknown-webhook' | 'foreign-organization',
  message: string,
) => new WebhookVerificationError(reason, message);

/** The checks `options` asks for (undefined when none); throws TypeError for a bad option. */
export function appBinding(options: AppBindingOptions) {
  const secrets =
    options.urlSecret === undefined ? [] : ([] as string[]).concat(options.urlSecret as string[]);
  // An empty list (an unset variable split into one) would turn the check off: the one spelling
  // that fails open. Leave the option out to go without a secret.
  if (options.urlSecret !== undefined && secrets.length === 0) {
    throw new TypeError(
      'urlSecret: an empty list turns the check off; give at least one secret, or leave urlSecret out',
    );
  }
  for (const secret of secrets) {
    const problem = urlSecretProblem(secret);
    if (problem) throw new TypeError(`urlSecret: ${problem}`);
  }
  const webhookIds = options.webhookIds && new Set(options.webhookIds);
  const organizationIds = options.organizationIds && new Set(options.organizationIds);
  if (secrets.length === 0 && !webhookIds && !organizationIds) return undefined;
  return {
    /** Before anything else: the URL the delivery was sent to must carry a secret. */
    checkUrl(url: string | undefined): void {
      if (secrets.length === 0) return;
      if (url === undefined) {
        throw new WebhookVerificationError(
          'secret-unchecked',
          'urlSecret is set but the request URL was not given: pass { url } to verifyRaw or handleRaw',
        );
      }
      const given =
        new URL(url, 'http://receiver.invalid').searchParams.get(URL_SECRET_PARAM) ?? '';
      // Every secret is compared, so timing does not tell which one (or that one) matched.
      const matches = secrets.map((secret) => sameText(given, secret));
      if (!matches.includes(true)) {
        throw refused(
          'wrong-secret',
          `the request URL does not carry this service's ${URL_SECRET_PARAM}`,
        );
      }
    },
    /** After the signature: the webhook and the signed payload's organization. */
    checkDelivery(webhookId: string, payload: UnknownPayload): void {
      if (webhookIds && !webhookIds.has(webhookId)) {
        throw refused('unknown-webhook', "rtk-webhook-id is not one of this service's webhookIds");
      }
      if (organizationIds) {
        const organization = organizationOf(payload);
        if (typeof organization !== 'string' || !organizationIds.has(organization)) {
          throw refused(
            'foreign-organization',
            'the signed payload names no organization of organizationIds',
          );
        }
      }
    },
  };
}
