// Bodies are read with a ceiling: reading stops as soon as it is crossed, whatever the sender
// declares, so a 400 MiB chunked body costs about the limit in memory, not 400 MiB.
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver, WebhookVerificationError } from '../src/index.js';
import { deliveryHeaders, exampleFor, makeSigner } from './helpers.js';

const MiB = 1024 * 1024;
let signer: Awaited<ReturnType<typeof makeSigner>>;
beforeAll(async () => {
  signer = await makeSigner();
});

/** A stream of `total` bytes in 64 KiB chunks, made on demand; counts what was pulled from it. */
function endlessBody(total: number) {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= total) return controller.close();
      state.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

describe('verify(request) with a body over the limit', () => {
  it.each([
    ['declared by nothing (chunked)', undefined],
    ['declared smaller than it is', '100'],
  ])('a 400 MiB body %s: refused (413) after reading about 1 MiB', async (_name, length) => {
    const receiver = createWebhookReceiver({ publicKey: signer.publicKeyPem });
    const { stream, state } = endlessBody(400 * MiB);
    const headers: Record<string, string> = deliveryHeaders(await signer.sign('x'));
    if (length !== undefined) headers['content-length'] = length;
    const request = new Request('https://service.example.com/rtk', {
      method: 'POST',
      body: stream,
      headers,
      duplex: 'half',
    } as RequestInit);
    const before = process.memoryUsage().arrayBuffers;
    const error = await receiver.verify(request).catch((e: unknown) => e);
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toMatchObject({ reason: 'body-too-large', status: 413 });
    expect(state.pulled).toBeLessThanOrEqual(MiB + 3 * 64 * 1024);
    expect(state.cancelled).toBe(true);
    expect(grown).toBeLessThan(32 * MiB);
  });

  it('refuses at once a body whose declared length is over the limit', async () => {
    const receiver = createWebhookReceiver({ publicKey: signer.publicKeyPem, maxBodyBytes: 1000 });
    const { stream, state } = endlessBody(10 * MiB);
    const request = new Request('https://service.example.com/rtk', {
      method: 'POST',
      body: stream,
      headers: { ...deliveryHeaders('x'), 'content-length': String(10 * MiB) },
      duplex: 'half',
    } as RequestInit);
    await expect(receiver.verify(request)).rejects.toMatchObject({ reason: 'body-too-large' });
    expect(state.pulled).toBeLessThanOrEqual(64 * 1024);
  });

  it('accepts a body of exactly the limit', async () => {
    const payload = JSON.stringify(exampleFor('meeting.started'));
    const size = new TextEncoder().encode(payload).byteLength;
    const receiver = createWebhookReceiver({ publicKey: signer.publicKeyPem, maxBodyBytes: size });
    const request = new Request('https://service.example.com/rtk', {
      method: 'POST',
      body: payload,
      headers: deliveryHeaders(await signer.sign(payload)),
    });
    expect((await receiver.verify(request)).event).toBe('meeting.started');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses maxBodyBytes %s at creation', (value) => {
    expect(() => createWebhookReceiver({ maxBodyBytes: value })).toThrow(/maxBodyBytes/);
  });
});

describe('the key fetch', () => {
  it('stops reading an endless answer at 64 KiB and reports the key unavailable (503)', async () => {
    const { stream, state } = endlessBody(400 * MiB);
    const receiver = createWebhookReceiver({ fetch: async () => new Response(stream) });
    const body = JSON.stringify(exampleFor('meeting.started'));
    const error = await receiver
      .verifyRaw(body, deliveryHeaders(await signer.sign(body)))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'key-unavailable', status: 503 });
    expect((error as Error).message).toMatch(/more than 65536 bytes/);
    expect(state.pulled).toBeLessThanOrEqual(64 * 1024 + 3 * 64 * 1024);
  });
});

describe('header objects', () => {
  it.each([
    ['lower case', (name: string) => name],
    ['upper case', (name: string) => name.toUpperCase()],
    ['mixed case', (name: string) => name.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase())],
  ])('in %s verify', async (_name, spell) => {
    const receiver = createWebhookReceiver({ publicKey: signer.publicKeyPem, seen: false });
    const body = JSON.stringify(exampleFor('meeting.started'));
    const headers = Object.fromEntries(
      Object.entries(deliveryHeaders(await signer.sign(body), 'case-id')).map(([k, v]) => [
        spell(k),
        v,
      ]),
    );
    expect(await receiver.verifyRaw(body, headers)).toMatchObject({
      id: 'case-id',
      event: 'meeting.started',
    });
  });
});
