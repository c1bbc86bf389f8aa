import { WEBHOOK_EVENTS } from '@realtimekit-webhooks/types';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createWebhookReceiver,
  type WebhookReceiver,
  WebhookVerificationError,
} from '../src/index.js';
import { deliveryHeaders, deliveryRequest, exampleFor, makeSigner, specEvents } from './helpers.js';

let signer: Awaited<ReturnType<typeof makeSigner>>;
let other: Awaited<ReturnType<typeof makeSigner>>;
let receiver: WebhookReceiver;

beforeAll(async () => {
  [signer, other] = await Promise.all([makeSigner(), makeSigner()]);
  receiver = createWebhookReceiver({ publicKey: signer.publicKeyPem });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('every event in the spec', () => {
  it("covers every event the spec's webhooks section lists, as the generated event list does", () => {
    expect([...specEvents].sort()).toEqual([...WEBHOOK_EVENTS].sort());
  });

  it.each(specEvents)('%s: the signed example verifies and comes back typed', async (event) => {
    const body = JSON.stringify(exampleFor(event), null, 2);
    const headers = deliveryHeaders(await signer.sign(body), `id-${event}`);
    const delivery = await receiver.verify(deliveryRequest(body, headers));
    expect(delivery).toEqual({
      id: `id-${event}`,
      webhookId: '0d1f069d-43bb-489a-ad8c-7eb95592ba8e',
      event,
      eventName: event,
      replayKey: expect.stringMatching(/^[A-Za-z0-9+/]{64}$/),
      duplicate: false,
      payload: exampleFor(event),
    });
  });
});

describe('what is refused, and why', () => {
  const body = JSON.stringify(exampleFor('meeting.started'), null, 2);

  type Case = () => Promise<{ body: string | Uint8Array; headers: Record<string, string> }>;
  const cases: [string, Case, string, number][] = [
    [
      'a flipped byte',
      async () => {
        const bytes = new TextEncoder().encode(body);
        const signature = await signer.sign(bytes);
        bytes[10] = (bytes[10] ?? 0) ^ 1;
        return { body: bytes, headers: deliveryHeaders(signature) };
      },
      'bad-signature',
      401,
    ],
    [
      'a re-serialised body',
      async () => ({
        body: JSON.stringify(JSON.parse(body)),
        headers: deliveryHeaders(await signer.sign(body)),
      }),
      'bad-signature',
      401,
    ],
    [
      'a signature from another key',
      async () => ({ body, headers: deliveryHeaders(await other.sign(body)) }),
      'bad-signature',
      401,
    ],
    [
      'no signature header',
      async () => {
        const { 'rtk-signature': _, ...headers } = deliveryHeaders('x');
        return { body, headers };
      },
      'missing-signature',
      401,
    ],
    [
      'no rtk-uuid header',
      async () => {
        const { 'rtk-uuid': _, ...headers } = deliveryHeaders(await signer.sign(body));
        return { body, headers };
      },
      'missing-header',
      400,
    ],
    [
      'a signature that is not base64',
      async () => ({ body, headers: deliveryHeaders('not base64!') }),
      'bad-signature',
      401,
    ],
    [
      'a signed body that is not JSON',
      async () => ({
        body: 'meeting started',
        headers: deliveryHeaders(await signer.sign('meeting started')),
      }),
      'malformed-body',
      400,
    ],
    [
      'a signed JSON array',
      async () => ({ body: '[1]', headers: deliveryHeaders(await signer.sign('[1]')) }),
      'malformed-body',
      400,
    ],
    [
      'a signed object without event',
      async () => ({ body: '{"a":1}', headers: deliveryHeaders(await signer.sign('{"a":1}')) }),
      'malformed-body',
      400,
    ],
  ];

  it.each(cases)('%s', async (_name, make, reason, status) => {
    const { body: sent, headers } = await make();
    const error = await receiver.verify(deliveryRequest(sent, headers)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toMatchObject({ reason, status });
    expect((error as Error).message).toMatch(new RegExp(`^${reason}: `));
  });

  it('never parses a body whose signature fails', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    await receiver
      .verify(deliveryRequest(body, deliveryHeaders(await other.sign(body))))
      .catch(() => undefined);
    expect(parse).not.toHaveBeenCalled();
  });

  it('refuses a body over maxBodyBytes (413) before verifying it', async () => {
    const small = createWebhookReceiver({ publicKey: signer.publicKeyPem, maxBodyBytes: 100 });
    const error = await small
      .verifyRaw(body, deliveryHeaders(await signer.sign(body)))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      reason: 'body-too-large',
      status: 413,
      message: 'body-too-large: the body is larger than 100 bytes',
    });
  });
});

describe('events newer than the spec', () => {
  it('verifies them and returns them as "unknown", with the name and the whole payload', async () => {
    const body = JSON.stringify({ event: 'meeting.paused', meeting: { id: 'm1' }, extra: [1, 2] });
    const delivery = await receiver.verifyRaw(body, deliveryHeaders(await signer.sign(body)));
    expect(delivery).toMatchObject({
      event: 'unknown',
      eventName: 'meeting.paused',
      payload: { event: 'meeting.paused', meeting: { id: 'm1' }, extra: [1, 2] },
    });
  });

  it('keeps fields the spec does not list on known events', async () => {
    const body = JSON.stringify({ ...exampleFor('meeting.ended'), newField: 'kept' });
    const delivery = await receiver.verifyRaw(body, deliveryHeaders(await signer.sign(body)));
    expect(delivery.payload).toMatchObject({ newField: 'kept' });
  });
});

describe('raw bodies', () => {
  it('accepts bytes, an ArrayBuffer or a string, and Node-style header records', async () => {
    const body = JSON.stringify(exampleFor('meeting.summary'));
    const signature = await signer.sign(body);
    const bytes = new TextEncoder().encode(body);
    for (const raw of [bytes, bytes.buffer, body]) {
      const headers = { ...deliveryHeaders(signature), 'rtk-signature': [signature] } as Record<
        string,
        string | string[]
      >;
      expect((await receiver.verifyRaw(raw, headers)).event).toBe('meeting.summary');
    }
  });
});
