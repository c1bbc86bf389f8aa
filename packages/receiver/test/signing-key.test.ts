import { WEBHOOK_SIGNING_KEY_URL } from '@realtimekit-webhooks/rules';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createWebhookReceiver, WebhookVerificationError } from '../src/index.js';
import { deliveryHeaders, exampleFor, makeSigner } from './helpers.js';

let signer: Awaited<ReturnType<typeof makeSigner>>;
let body: string;
let headers: Record<string, string>;
beforeAll(async () => {
  signer = await makeSigner();
  body = JSON.stringify(exampleFor('meeting.started'));
  headers = deliveryHeaders(await signer.sign(body));
});

/** A fetch answering `answers` in turn, recording the URLs asked for. */
function keyServer(...answers: (() => Response | Promise<Response>)[]) {
  const urls: string[] = [];
  const fetch = async (request: Request) => {
    urls.push(request.url);
    const next = answers.shift();
    if (!next) throw new Error('unexpected key fetch');
    return next();
  };
  return { fetch, urls };
}
const keyResponse = () =>
  Response.json({ success: true, data: { publicKey: signer.publicKeyPem }, message: '' });

describe('the signing key', () => {
  it("is fetched once from the spec's URL and cached", async () => {
    const server = keyServer(keyResponse);
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    await receiver.verifyRaw(body, { ...headers, 'rtk-uuid': 'a' });
    await receiver.verifyRaw(body, { ...headers, 'rtk-uuid': 'b' });
    expect(server.urls).toEqual([WEBHOOK_SIGNING_KEY_URL]);
  });

  it('is fetched once for concurrent deliveries', async () => {
    const server = keyServer(keyResponse);
    const receiver = createWebhookReceiver({ fetch: server.fetch });
    await Promise.all(
      ['1', '2', '3'].map((id) => receiver.verifyRaw(body, { ...headers, 'rtk-uuid': id })),
    );
    expect(server.urls).toHaveLength(1);
  });

  it.each([
    ['a 500', () => new Response('oops', { status: 500 }), /answered 500/],
    ['a network error', () => Promise.reject(new TypeError('fetch failed')), /fetching .* failed/],
    [
      'JSON without a key',
      () => Response.json({ success: true, data: {} }),
      /without data.publicKey/,
    ],
    ['a body that is not JSON', () => new Response('<html>'), /did not answer JSON/],
    [
      'a key that is not PEM',
      () => Response.json({ data: { publicKey: 'nope' } }),
      /not an SPKI PEM/,
    ],
  ])(
    'after %s: key-unavailable (503), not cached, not asked again within a minute, then fetched',
    async (_name, failure, message) => {
      vi.useFakeTimers({ toFake: ['performance'] });
      try {
        const server = keyServer(failure, keyResponse);
        const receiver = createWebhookReceiver({ fetch: server.fetch });
        const error = await receiver.verifyRaw(body, headers).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WebhookVerificationError);
        expect(error).toMatchObject({ reason: 'key-unavailable', status: 503 });
        expect((error as Error).message).toMatch(message);
        vi.advanceTimersByTime(30_000);
        const soon = await receiver.verifyRaw(body, headers).catch((e: unknown) => e);
        expect(soon).toMatchObject({ reason: 'key-unavailable', status: 503 });
        expect(server.urls).toHaveLength(1);
        vi.advanceTimersByTime(30_000);
        expect((await receiver.verifyRaw(body, headers)).event).toBe('meeting.started');
        expect(server.urls).toHaveLength(2);
      } finally {
        vi.useRealTimers();
      }
    },
  );

  it('is never fetched when given', async () => {
    const server = keyServer();
    const receiver = createWebhookReceiver({ publicKey: signer.publicKeyPem, fetch: server.fetch });
    await receiver.verifyRaw(body, headers);
    expect(server.urls).toEqual([]);
  });

  it('refuses a key URL over plain http off loopback, and a given key that is not PEM', () => {
    expect(() => createWebhookReceiver({ keyUrl: 'http://keys.example.com/k.json' })).toThrow(
      /https/,
    );
    expect(() => createWebhookReceiver({ keyUrl: 'http://127.0.0.1:9/k.json' })).not.toThrow();
    expect(() => createWebhookReceiver({ publicKey: 'not a key' })).toThrow(/SPKI PEM/);
  });
});
