// The kit as a service's tests use it: state that persists, faults asked for from outside, the
// spec as judge of every exchange, and signed deliveries a receiver can verify from the key URL.

import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectMock, type StatefulMockServer, startMockServer } from '@realtimekit-webhooks/mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fakeBehind } from '../src/stateful/fake-behind.js';

const TOKEN = 'kit-test-token';
const COLLECTION = '/accounts/acc/realtime/kit/app/webhooks';
const body = { name: 'billing', url: 'https://billing.example.com/rtk', events: ['meeting.ended'] };
let mock: StatefulMockServer;

beforeAll(async () => {
  mock = await startMockServer({ token: TOKEN });
});
afterAll(async () => {
  await mock?.stop();
});
beforeEach(async () => {
  await mock.reset();
});

async function api(method: string, path: string, payload?: unknown, token = TOKEN) {
  const response = await fetch(`${mock.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: payload === undefined ? null : JSON.stringify(payload),
  });
  const text = await response.text();
  return {
    status: response.status,
    json:
      text === ''
        ? undefined
        : (JSON.parse(text) as { data?: Record<string, unknown>; message?: string }),
    violations: response.headers.get('sl-violations'),
  };
}

describe('state, as the API keeps it', () => {
  it('creates, lists, updates and deletes; what was added is what is listed', async () => {
    const created = await api('POST', COLLECTION, body);
    expect(created).toMatchObject({
      status: 201,
      violations: null,
      json: { data: { ...body, enabled: true } },
    });
    const id = created.json?.data?.id as string;
    expect((await api('GET', COLLECTION)).json?.data).toEqual([created.json?.data]);
    expect((await mock.webhooks()).map((w) => w.name)).toEqual(['billing']);
    const patched = await api('PATCH', `${COLLECTION}/${id}`, { enabled: false });
    expect(patched.json?.data).toMatchObject({ id, enabled: false, name: 'billing' });
    expect((await api('DELETE', `${COLLECTION}/${id}`)).status).toBe(200);
    expect(await mock.webhooks()).toEqual([]);
    expect((await api('GET', `${COLLECTION}/${id}`)).status).toBe(404);
  });

  it("answers a token other than the one it was given with the API's 401", async () => {
    const refused = await api('GET', COLLECTION, undefined, 'some-other-token');
    expect(refused).toMatchObject({ status: 401, json: { message: 'Unauthorized' } });
  });

  it('reset() forgets every webhook', async () => {
    await api('POST', COLLECTION, body);
    await mock.reset();
    expect(await mock.webhooks()).toEqual([]);
  });
});

describe('faults asked for from outside', () => {
  it.each([
    [{ kind: 'status', status: 503, after: true }, 503, 1],
    [{ kind: 'status', status: 503, after: false }, 503, 0],
    [{ kind: 'rateLimit', retryAfterSeconds: 2 }, 429, 0],
  ] as const)('%o on the POST answers %i and leaves %i webhook(s)', async (fault, status, left) => {
    await mock.faults.push({ ...fault, match: { method: 'POST', path: '/webhooks' } });
    // A GET first: the fault waits for the request it matches.
    expect((await api('GET', COLLECTION)).status).toBe(200);
    expect((await api('POST', COLLECTION, body)).status).toBe(status);
    expect(await mock.webhooks()).toHaveLength(left);
    // One request each: the next POST succeeds.
    expect((await api('POST', COLLECTION, body)).status).toBe(201);
  });

  it('a rate limit answers as Cloudflare does, with retry-after, without acting', async () => {
    await mock.faults.push({ kind: 'rateLimit', retryAfterSeconds: 3 });
    const response = await fetch(`${mock.baseUrl}${COLLECTION}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toMatchObject({ success: false, errors: [{ code: 971 }] });
    expect(await mock.webhooks()).toEqual([]);
  });

  it('a reset after acting loses the response but not the webhook', async () => {
    await mock.faults.push({ kind: 'reset', after: true, match: { method: 'POST' } });
    await expect(api('POST', COLLECTION, body)).rejects.toThrow();
    expect(await mock.webhooks()).toHaveLength(1);
  });

  it('refuses a fault it cannot apply, naming the field', async () => {
    await expect(mock.faults.push({ kind: 'status' } as never)).rejects.toThrow(/needs `status`/);
  });
});

describe('the spec judges every exchange', () => {
  it('a response of the implementation that breaks the spec fails the call that caused it', async () => {
    const created = await api('POST', COLLECTION, body);
    const id = created.json?.data?.id as string;
    // Break one on purpose: an event name the spec does not have.
    const stored = fakeBehind(mock).store.webhooks.get(id);
    fakeBehind(mock).store.webhooks.set(id, { ...stored, events: ['meeting.exploded'] } as never);
    const listed = await api('GET', COLLECTION);
    expect(listed.status).toBeGreaterThanOrEqual(500);
    expect(listed.violations).toContain('events');
  });

  it('a request that breaks the spec is refused before the implementation sees it', async () => {
    const before = fakeBehind(mock).requests.length;
    const refused = await api('POST', COLLECTION, { name: 'x' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(fakeBehind(mock).requests.length).toBe(before);
  });
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Walks `example` and `sent` together: each UUID of the example must stand as another UUID in
 * `sent` (the same one wherever it recurs), and everything else must be equal. The pairs found.
 */
function idsReplaced(example: unknown, sent: unknown, pairs = new Map<string, string>()) {
  if (typeof example === 'string' && UUID.test(example)) {
    expect(typeof sent === 'string' && UUID.test(sent) && sent !== example).toBe(true);
    expect(pairs.get(example) ?? sent).toBe(sent);
    pairs.set(example, sent as string);
  } else if (example !== null && typeof example === 'object') {
    expect(Object.keys(sent as object).sort()).toEqual(Object.keys(example).sort());
    for (const [key, value] of Object.entries(example)) {
      idsReplaced(value, (sent as Record<string, unknown>)[key], pairs);
    }
  } else {
    expect(sent).toEqual(example);
  }
  return pairs;
}

describe('signed deliveries', () => {
  let received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let receiverUrl = '';
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(204).end();
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/rtk`;
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    received = [];
  });

  async function verifies(
    publicKeyPem: string,
    delivery: { headers: IncomingHttpHeaders; body: string },
  ) {
    const der = Uint8Array.from(atob(publicKeyPem.replace(/-----[^-]+-----|\s/g, '')), (c) =>
      c.charCodeAt(0),
    );
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
    const key = await crypto.subtle.importKey('spki', der, algorithm, false, ['verify']);
    const signature = Uint8Array.from(atob(String(delivery.headers['rtk-signature'])), (c) =>
      c.charCodeAt(0),
    );
    return crypto.subtle.verify(algorithm, key, signature, new TextEncoder().encode(delivery.body));
  }

  it('deliver() sends the spec example as a new event, signed with the key the key URL serves', async () => {
    const result = await mock.deliver('meeting.ended', { to: receiverUrl });
    expect(result.status).toBe(204);
    const [delivery] = received;
    if (!delivery) throw new Error('nothing delivered');
    expect(delivery.headers['rtk-uuid']).toBe(result.id);
    expect(delivery.headers['rtk-webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    const spec = parse(
      readFileSync(new URL('../dist/realtimekit-webhooks.yaml', import.meta.url), 'utf8'),
    );
    // The spec's own example for the event, looked up from its webhooks section (not through
    // the code under test).
    const ref: string =
      spec.webhooks['meeting.ended'].post.requestBody.content['application/json'].examples.delivery
        .$ref;
    const example = spec.components.examples[ref.split('/').at(-1) as string];
    expect(example?.value?.event).toBe('meeting.ended');
    // The example's shape and values, with each of its UUIDs replaced by one fresh UUID.
    const pairs = idsReplaced(example.value, JSON.parse(delivery.body));
    expect(pairs.size).toBeGreaterThan(0);
    expect(new Set(pairs.values()).size).toBe(pairs.size);
    expect(delivery.body).not.toBe(JSON.stringify(JSON.parse(delivery.body)));
    const key = await fetch(mock.keyUrl);
    expect(key.headers.get('sl-violations')).toBeNull();
    const { data } = (await key.json()) as { data: { publicKey: string } };
    expect(data.publicKey).toBe(mock.signer.publicKey);
    expect(await verifies(data.publicKey, delivery)).toBe(true);
  });

  it('a payload override is checked against the event schema before anything is sent', async () => {
    await expect(
      mock.deliver('meeting.ended', { to: receiverUrl, payload: { event: 'meeting.ended' } }),
    ).rejects.toThrow(/the meeting.ended payload breaks the spec: payload.meeting is required/);
    expect(received).toHaveLength(0);
  });

  it('works from another process through the control URL, same id twice for a retry', async () => {
    const remote = connectMock(mock.controlUrl);
    await remote.deliver('recording.statusUpdate', { to: receiverUrl, id: 'retry-1' });
    await remote.deliver('recording.statusUpdate', { to: receiverUrl, id: 'retry-1' });
    expect(received.map((d) => d.headers['rtk-uuid'])).toEqual(['retry-1', 'retry-1']);
  });
});
