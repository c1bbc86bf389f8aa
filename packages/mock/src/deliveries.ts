// Builds and sends signed deliveries: the spec's example for an event (or a payload checked
// against the event's schema), signed by a test signer, POSTed with the three rtk-* headers.
import { readFileSync } from 'node:fs';
import {
  checkSchema,
  deliveryPayloads,
  payloadFormats,
  type ValidationIssue,
  type WebhookEvent,
} from '@realtimekit-webhooks/types';
import { parse } from 'yaml';
import type { TestSigner } from './signer.js';

/** Options of one delivery. */
export interface DeliverOptions {
  /** Where the receiver listens, e.g. `http://127.0.0.1:3000/rtk`. */
  to: string;
  /** The body to send instead of the spec's example; checked against the event's schema first. */
  payload?: unknown;
  /** The delivery id (`rtk-uuid`). Default: a new UUID. Send the same id twice to test retries. */
  id?: string | undefined;
}

/** What the receiver answered. */
export interface DeliveryResult {
  status: number;
  body: string;
  /** The `rtk-uuid` the delivery was sent with. */
  id: string;
}

const specPath = new URL('./realtimekit-webhooks.yaml', import.meta.url);
let examples: Record<string, unknown> | undefined;

/** The spec's example body of each event, read once from the spec this package ships. */
function deliveryExamples(): Record<string, unknown> {
  if (examples) return examples;
  const spec = parse(readFileSync(specPath, 'utf8')) as {
    webhooks: Record<
      string,
      {
        post: {
          requestBody: {
            content: Record<
              string,
              { examples: Record<string, { $ref?: string; value?: unknown }> }
            >;
          };
        };
      }
    >;
    components: { examples: Record<string, { value: unknown }> };
  };
  examples = {};
  for (const [event, item] of Object.entries(spec.webhooks)) {
    const example = Object.values(
      item.post.requestBody.content['application/json']?.examples ?? {},
    )[0];
    const ref = example?.$ref?.split('/').at(-1);
    examples[event] = ref ? spec.components.examples[ref]?.value : example?.value;
  }
  return examples;
}

/** An error naming what is wrong with a delivery before anything is sent. */
export class DeliveryInputError extends Error {
  override get name(): string {
    return 'DeliveryInputError';
  }
}

/** The body to deliver for `event`: `payload` when given (checked), else the spec's example. */
export function deliveryBody(event: string, payload?: unknown): string {
  const schema = deliveryPayloads[event as WebhookEvent];
  if (!schema) {
    throw new DeliveryInputError(
      `unknown event "${event}": expected one of ${Object.keys(deliveryPayloads).join(', ')}`,
    );
  }
  const body = payload ?? deliveryExamples()[event];
  const issues: ValidationIssue[] = [];
  checkSchema(schema, body, 'payload', payloadFormats, issues);
  if (issues.length > 0) {
    throw new DeliveryInputError(
      `the ${event} payload breaks the spec: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
    );
  }
  return JSON.stringify(body);
}

/** Signs and POSTs one delivery of `event` to `options.to`. */
export async function deliver(
  signer: TestSigner,
  event: string,
  options: DeliverOptions,
): Promise<DeliveryResult> {
  let target: URL;
  try {
    target = new URL(options.to);
  } catch {
    throw new DeliveryInputError(
      `"to" must be an absolute http(s) URL, not ${JSON.stringify(options.to)}`,
    );
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new DeliveryInputError(`"to" must be an http(s) URL, not ${target.protocol}`);
  }
  const body = deliveryBody(event, options.payload);
  const headers = await signer.sign(body, { id: options.id });
  const response = await fetch(target, {
    method: 'POST',
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: await response.text(), id: headers['rtk-uuid'] };
}
