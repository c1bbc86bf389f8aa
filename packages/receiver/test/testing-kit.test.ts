// @realtimekit-webhooks/receiver/testing: deliveries that look like RealtimeKit's (a new event
// each time, JSON as another server writes it), so tests catch what production would.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deliveryExamples } from '@realtimekit-webhooks/rules';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createWebhookReceiver, type WebhookPayloadFor } from '../src/index.js';
import { nodeHandler } from '../src/node.js';
import { toWireJson } from '../src/testing/wire-json.js';
import {
  createTestSigner,
  DeliveryInputError,
  deliver,
  deliveryBody,
  examplePayload,
  type TestSigner,
} from '../src/testing.js';

let signer: TestSigner;
beforeAll(async () => {
  signer = await createTestSigner();
});

describe('bodies as another server writes them', () => {
  it('are never JSON.stringify output, and parse back to the same data', () => {
    const value = { url: 'https://x.example/a', name: 'Café ☕', n: 1, list: [true, null], z: {} };
    const wire = toWireJson(value);
    expect(wire).toBe(
      '{"list": [true, null], "n": 1, "name": "Caf\\u00e9 \\u2615", "url": "https:\\/\\/x.example\\/a", "z": {}}',
    );
    expect(JSON.parse(wire)).toEqual(value);
    for (const event of Object.keys(deliveryExamples) as (keyof typeof deliveryExamples)[]) {
      const body = deliveryBody(event);
      expect(body).not.toBe(JSON.stringify(JSON.parse(body)));
    }
  });
});

describe('examplePayload', () => {
  it("is the spec's example as a new event: every id fresh, the same fresh id wherever it recurs", () => {
    const first = examplePayload('recording.statusUpdate');
    const second = examplePayload('recording.statusUpdate');
    const example = deliveryExamples['recording.statusUpdate'];
    expect(first.meeting.id).not.toBe(example.meeting.id);
    expect(first.meeting.id).not.toBe(second.meeting.id);
    expect(first.recording.meetingId).toBe(first.meeting.id);
    expect(first.recording.status).toBe(example.recording.status);
    expect(first.meeting.title).toBe(example.meeting.title);
  });

  it('merges a partial override into nested objects, typed for the event', () => {
    const payload = examplePayload('meeting.ended', {
      reason: 'ALL_PARTICIPANTS_LEFT',
      meeting: { title: 'Retro' },
    });
    expectTypeOf(payload).toEqualTypeOf<WebhookPayloadFor<'meeting.ended'>>();
    expect(payload.reason).toBe('ALL_PARTICIPANTS_LEFT');
    expect(payload.meeting.title).toBe('Retro');
    expect(payload.meeting.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an override that breaks the schema, and an unknown event, naming them', () => {
    expect(() => examplePayload('meeting.ended', { meeting: { id: 5 as never } })).toThrow(
      DeliveryInputError,
    );
    expect(() => examplePayload('meeting.ended', { meeting: { id: 5 as never } })).toThrow(
      /payload\.meeting\.id/,
    );
    // @ts-expect-error: not an event of the spec
    expect(() => examplePayload('meeting.exploded')).toThrow(/unknown event "meeting.exploded"/);
  });
});

describe('deliver, against real receivers', () => {
  let url: string;
  let close: () => void;
  const handled: string[] = [];
  const receiver = () => createWebhookReceiver({ publicKey: signer.publicKey });
  beforeAll(async () => {
    const honest = receiver();
    const reserialising = receiver();
    const handle = nodeHandler(honest, (delivery) => {
      if (delivery.event === 'meeting.ended') handled.push(delivery.payload.meeting.id);
    });
    const server = createServer(async (request, response) => {
      if (request.url !== '/reserialising') return handle(request, response);
      // The bug the README warns about: verifying JSON.stringify(parsed body).
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const result = await reserialising.handleRaw(
        JSON.stringify(parsed),
        request.headers,
        () => {},
      );
      response.writeHead(result.status).end(result.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close?.());

  it('a receiver that re-serialises the body fails (401), as it would with RealtimeKit', async () => {
    const result = await deliver(signer, 'meeting.ended', { to: `${url}/reserialising` });
    expect([result.status, result.body]).toEqual([401, 'bad-signature']);
  });

  it('two deliver calls are two events, each handled; a replay is a duplicate', async () => {
    handled.length = 0;
    const first = await deliver(signer, 'meeting.ended', { to: `${url}/rtk` });
    const second = await deliver(signer, 'meeting.ended', { to: `${url}/rtk` });
    expect([first.body, second.body]).toEqual(['handled', 'handled']);
    expect(first.id).not.toBe(second.id);
    expect(new Set(handled).size).toBe(2);
    const retry = await deliver(signer, 'meeting.ended', { to: `${url}/rtk`, replay: first });
    expect([retry.status, retry.body, retry.id]).toEqual([200, 'duplicate', first.id]);
    expect(handled).toHaveLength(2);
  });

  it('reads at most 64 KiB of an answer that never ends, and resolves', async () => {
    const endless = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(16 * 1024);
      const timer = setInterval(() => response.write(chunk), 1);
      response.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
    try {
      const to = `http://127.0.0.1:${(endless.address() as AddressInfo).port}/rtk`;
      const before = process.memoryUsage().arrayBuffers;
      const result = await deliver(signer, 'meeting.ended', { to });
      expect([result.status, result.body]).toEqual([200, '(answer longer than 64 KiB, not read)']);
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
    } finally {
      endless.closeAllConnections();
      endless.close();
    }
  });

  it('sends a given payload as it is (checked), and refuses a bad target before sending', async () => {
    const payload = examplePayload('meeting.ended', { reason: 'HOST_ENDED_MEETING' });
    const result = await deliver(signer, 'meeting.ended', { to: `${url}/rtk`, payload });
    expect(JSON.parse(result.sent.body)).toEqual(payload);
    await expect(deliver(signer, 'meeting.ended', { to: 'ftp://x' })).rejects.toThrow(
      /"to" must be an absolute http\(s\) URL/,
    );
    // @ts-expect-error: the event is typed with the spec's union
    await expect(deliver(signer, 'meeting.exploded', { to: `${url}/rtk` })).rejects.toThrow(
      DeliveryInputError,
    );
  });
});
