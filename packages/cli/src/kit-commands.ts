// `mock` and `trigger`: the testing kit from a terminal, for services in any language.
import { readFile, stat } from 'node:fs/promises';
import type { WebhookEvent } from '@realtimekit-webhooks/client';
import type { Values } from './args.js';
import { loadMock } from './load-mock.js';
import { json } from './output.js';
import { printable } from './printable.js';
import { UsageError } from './usage-error.js';

const MAX_PAYLOAD_BYTES = 1024 * 1024;

function portOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!(Number.isInteger(port) && port > 0 && port < 65_536)) {
    throw new UsageError(`--port must be a port number (1-65535), not ${JSON.stringify(value)}`);
  }
  return port;
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
  const mock = await startMockServer({ port: portOf(values.port) });
  try {
    const urls = { baseUrl: mock.baseUrl, keyUrl: mock.keyUrl, controlUrl: mock.controlUrl };
    print(
      values.json
        ? JSON.stringify(urls)
        : [
            `Mock API     ${urls.baseUrl}   (any bearer token; --base-url for this CLI)`,
            `Signing key  ${urls.keyUrl}   (keyUrl of your receiver)`,
            `Control      ${urls.controlUrl}   (trigger --key-from; reset, faults)`,
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
  try {
    if ((await stat(file)).size > MAX_PAYLOAD_BYTES) {
      throw new UsageError(`${file} is larger than ${MAX_PAYLOAD_BYTES} bytes (1 MiB)`);
    }
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof SyntaxError) throw new UsageError(`${file} is not JSON: ${error.message}`);
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/**
 * `rtk-webhooks trigger <event> --to <url> [--payload f.json] [--key-from <control url>]`: sends
 * one signed delivery. With --key-from, a running `rtk-webhooks mock` signs it (so receivers that
 * fetch its key verify it); without, a fresh key signs it and its public key is printed.
 * Exit 0 when the receiver answered 2xx, 1 otherwise.
 */
export async function runTrigger(
  event: string,
  values: Values,
  print: (text: string) => void,
  warn: (text: string) => void,
): Promise<number> {
  if (values.to === undefined) throw new UsageError('"trigger" needs --to <receiver url>');
  const mockKit = await loadMock('rtk-webhooks trigger');
  const payload = await readPayload(values.payload);
  let result: Awaited<ReturnType<typeof mockKit.sendDelivery>>;
  try {
    if (values['key-from'] !== undefined) {
      result = await mockKit
        .connectMock(values['key-from'])
        .deliver(event as WebhookEvent, { to: values.to, payload });
    } else {
      const signer = await mockKit.createTestSigner();
      warn(`signed with a new test key; its public key:\n${signer.publicKey.trimEnd()}`);
      result = await mockKit.sendDelivery(signer, event as WebhookEvent, {
        to: values.to,
        payload,
      });
    }
  } catch (error) {
    // The mock's refusals (unknown event, a payload off the schema, a bad --to) are usage errors.
    if (error instanceof mockKit.DeliveryInputError) throw new UsageError(error.message);
    throw error;
  }
  const ok = result.status >= 200 && result.status < 300;
  const report = {
    event,
    to: values.to,
    id: result.id,
    status: result.status,
    body: result.body.slice(0, 500),
  };
  print(
    values.json
      ? json(report)
      : printable(
          `Delivered ${event} (rtk-uuid ${result.id}) to ${values.to}: ${result.status}${ok ? '' : ` ${result.body.slice(0, 200)}`}`,
        ),
  );
  return ok ? 0 : 1;
}
