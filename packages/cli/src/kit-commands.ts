// `mock` and `trigger`: the testing kit from a terminal, for services in any language.
import { WEBHOOK_EVENTS, type WebhookEvent } from '@realtimekit-webhooks/client';
import type { EmitResult } from '@realtimekit-webhooks/mock';
import {
  createTestSigner,
  DeliveryInputError,
  type DeliveryResult,
  deliver,
} from '@realtimekit-webhooks/receiver/testing';
import type { Values } from './args.js';
import { readBoundedFile } from './bounded-read.js';
import { didYouMean } from './did-you-mean.js';
import { loadMock } from './load-mock.js';
import { json, table } from './output.js';
import { printable } from './printable.js';
import { UsageError } from './usage-error.js';

const MAX_PAYLOAD_BYTES = 1024 * 1024;

function portOf(value: string | undefined, flag = '--port'): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!(Number.isInteger(port) && port > 0 && port < 65_536)) {
    throw new UsageError(`${flag} must be a port number (1-65535), not ${JSON.stringify(value)}`);
  }
  return port;
}

/** `event`, or a usage error naming it (with the closest event name when it looks like a typo). */
function checkedEvent(event: string): WebhookEvent {
  if ((WEBHOOK_EVENTS as readonly string[]).includes(event)) return event as WebhookEvent;
  const hint = didYouMean(event, WEBHOOK_EVENTS);
  throw new UsageError(
    `unknown event "${event}"${hint || ` (expected one of: ${WEBHOOK_EVENTS.join(', ')})`}`,
  );
}

/**
 * `rtk-webhooks mock [--port N]`: runs the stateful mock until `stopped` resolves (SIGINT or
 * SIGTERM in the program), printing where the API, the signing key and the control API are.
 */
export async function runMock(
  values: Values,
  print: (text: string) => void,
  stopped: Promise<unknown>,
): Promise<void> {
  const { startMockServer } = await loadMock('rtk-webhooks mock');
  if (values.token !== undefined && values.token.trim() === '') {
    throw new UsageError('--token must not be empty (leave it out to accept any bearer token)');
  }
  const mock = await startMockServer({
    port: portOf(values.port),
    controlPort: portOf(values['control-port'], '--control-port'),
    prismPort: portOf(values['prism-port'], '--prism-port'),
    token: values.token,
  });
  try {
    const urls = { baseUrl: mock.baseUrl, keyUrl: mock.keyUrl, controlUrl: mock.controlUrl };
    print(
      values.json
        ? JSON.stringify(urls)
        : [
            `Mock API     ${urls.baseUrl}   (${values.token === undefined ? 'any bearer token' : 'the --token given'}; --base-url for this CLI)`,
            `Signing key  ${urls.keyUrl}   (keyUrl of your receiver)`,
            `Control      ${urls.controlUrl}   (reset, faults; trigger --key-from takes any of these URLs)`,
            'Stop with Ctrl+C.',
          ].join('\n'),
    );
    await stopped;
  } finally {
    await mock.stop();
  }
}

async function readPayload(file: string | undefined): Promise<unknown> {
  if (file === undefined) return undefined;
  const text = await readBoundedFile(file, MAX_PAYLOAD_BYTES);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
}

/**
 * `rtk-webhooks trigger <event> --to <url> [--payload f.json] [--key-from <mock url>]`: sends one
 * signed delivery. With --key-from, a running `rtk-webhooks mock` (any URL it printed) signs it,
 * so receivers that fetch its key verify it; without, a fresh key signs it and its public key is
 * printed. Without --to, the mock at --key-from sends the event as RealtimeKit would, to every
 * enabled webhook subscribed to it (of --account-id/--app-id when given), with its retries.
 * Exit 0 when every receiver answered 2xx, 1 otherwise.
 */
export async function runTrigger(
  name: string,
  values: Values,
  print: (text: string) => void,
  warn: (text: string) => void,
): Promise<number> {
  const event = checkedEvent(name);
  const mockUrl = values['key-from'];
  if (values.to === undefined && mockUrl === undefined) {
    throw new UsageError(
      '"trigger" needs --to <receiver url>, or --key-from <mock url> to send to the webhooks registered with a running mock',
    );
  }
  const payload = await readPayload(values.payload);
  try {
    // Only a running mock (--key-from) needs the mock package; a fresh key signs without it.
    const mock =
      mockUrl === undefined
        ? undefined
        : (await loadMock('rtk-webhooks trigger --key-from')).connectMock(mockUrl);
    if (values.to === undefined) {
      const scope = { accountId: values['account-id'], appId: values['app-id'] };
      const results = await (mock as NonNullable<typeof mock>).emit(event, { payload, ...scope });
      return reportEmit(event, results, values, print);
    }
    const to = values.to;
    const result = mock
      ? await mock.deliver(event, { to, payload })
      : await signFresh(warn).then((signer) => deliver(signer, event, { to, payload }));
    return reportDelivery(event, to, result, values, print);
  } catch (error) {
    // Refusals (unknown event, a payload off the schema, a bad --to) are usage errors, whether
    // this process or the mock found them.
    if (error instanceof DeliveryInputError) throw new UsageError(error.message);
    throw error;
  }
}

async function signFresh(warn: (text: string) => void) {
  const signer = await createTestSigner();
  warn(`signed with a new test key; its public key:\n${signer.publicKey.trimEnd()}`);
  return signer;
}

function reportDelivery(
  event: WebhookEvent,
  to: string,
  result: DeliveryResult,
  values: Values,
  print: (text: string) => void,
): number {
  const ok = result.status >= 200 && result.status < 300;
  const report = {
    event,
    to,
    id: result.id,
    status: result.status,
    body: result.body.slice(0, 500),
  };
  // A receiver that answered anything but 2xx took nothing: the line must not say "Delivered".
  const said = ok
    ? `Delivered ${event} (rtk-uuid ${result.id}) to ${to}: ${result.status}`
    : `Not delivered: ${to} answered ${result.status} to ${event} (rtk-uuid ${result.id}): ${result.body.slice(0, 200)}`;
  print(values.json ? json(report) : printable(said));
  return ok ? 0 : 1;
}

function reportEmit(
  event: WebhookEvent,
  results: EmitResult[],
  values: Values,
  print: (text: string) => void,
): number {
  if (values.json) print(json(results));
  else if (results.length === 0) print(`No enabled webhook of the mock is subscribed to ${event}.`);
  else {
    print(
      table(
        ['WEBHOOK', 'URL', 'RESULT', 'ATTEMPTS', 'RTK-UUID'],
        results.map((r) => [
          r.webhookId,
          r.url,
          `${r.delivered ? 'delivered' : 'failed'} (${r.status})`,
          String(r.attempts),
          r.id,
        ]),
      ),
    );
  }
  return results.length > 0 && results.every((r) => r.delivered) ? 0 : 1;
}
