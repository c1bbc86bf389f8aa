// Each recipe of the receiver's README, in its framework for real, receiving the kit's deliveries
// (JSON as another server writes it, so a body that was re-serialised would not verify); and the
// mistake each framework invites, named at once as a 500 instead of hanging or a 401.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createWebhookReceiver, type Delivery } from '@realtimekit-webhooks/receiver';
import { createTestSigner, deliver, type TestSigner } from '@realtimekit-webhooks/receiver/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  expressApp,
  expressAppParsingFirst,
  expressAppRawBehindJson,
  expressAppRawRoute,
} from '../src/express.js';
import { fastifyApp, fastifyAppParsingFirst } from '../src/fastify.js';
import { honoApp, honoAppReadingFirst } from '../src/hono.js';

let signer: TestSigner;
const handled: Delivery[] = [];
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  signer = await createTestSigner();
});
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
  handled.length = 0;
});

const receiver = () => createWebhookReceiver({ publicKey: signer.publicKey });
const onDelivery = (delivery: Delivery) => void handled.push(delivery);

/** Listens on a free loopback port; the URL of its /rtk route. */
async function listening(server: Server): Promise<string> {
  if (!server.listening)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/rtk`;
}

type Start = () => Promise<string>;
const recipes: [string, Start, Start][] = [
  [
    'Express (with a global express.json())',
    () => listening(expressApp(receiver(), onDelivery).listen(0, '127.0.0.1')),
    () => listening(expressAppParsingFirst(receiver(), onDelivery).listen(0, '127.0.0.1')),
  ],
  [
    'Fastify (content-type parser)',
    async () => {
      const app = fastifyApp(receiver(), onDelivery);
      await app.listen({ port: 0, host: '127.0.0.1' });
      stops.push(() => app.close());
      return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/rtk`;
    },
    async () => {
      const app = fastifyAppParsingFirst(receiver(), onDelivery);
      await app.listen({ port: 0, host: '127.0.0.1' });
      stops.push(() => app.close());
      return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/rtk`;
    },
  ],
  [
    'Hono (c.req.raw)',
    () =>
      listening(
        serve({
          fetch: honoApp(receiver(), onDelivery).fetch,
          port: 0,
          hostname: '127.0.0.1',
        }) as Server,
      ),
    () =>
      listening(
        serve({
          fetch: honoAppReadingFirst(receiver(), onDelivery).fetch,
          port: 0,
          hostname: '127.0.0.1',
        }) as Server,
      ),
  ],
];

describe.each(recipes)('%s', (_name, start, startMistaken) => {
  it("the README's recipe receives two kit deliveries as two events, and a retry as a duplicate", async () => {
    const to = await start();
    const first = await deliver(signer, 'meeting.ended', { to });
    const second = await deliver(signer, 'meeting.ended', { to });
    const retry = await deliver(signer, 'meeting.ended', { to, replay: first });
    expect([first.status, first.body]).toEqual([200, 'handled']);
    expect([second.status, second.body]).toEqual([200, 'handled']);
    expect([retry.status, retry.body]).toEqual([200, 'duplicate']);
    expect(handled.map((d) => [d.event, d.id])).toEqual([
      ['meeting.ended', first.id],
      ['meeting.ended', second.id],
    ]);
  });

  it('a body consumed before the receiver is named at once: 500 body-consumed, nothing handled', async () => {
    const to = await startMistaken();
    const started = Date.now();
    const result = await deliver(signer, 'meeting.ended', { to, timeoutMs: 5_000 });
    expect([result.status, result.body]).toEqual([500, 'body-consumed']);
    expect(Date.now() - started).toBeLessThan(5_000); // answered, not left to the timeout
    expect(handled).toEqual([]);
  });
});

describe("Express with express.raw on the route (the README's words on it)", () => {
  it('with no JSON parser before it, the route is verified from the bytes express.raw leaves', async () => {
    const to = await listening(expressAppRawRoute(receiver(), onDelivery).listen(0, '127.0.0.1'));
    const result = await deliver(signer, 'meeting.ended', { to });
    expect([result.status, result.body, handled.length]).toEqual([200, 'handled', 1]);
  });

  it('behind a global express.json() it is still 500 body-consumed: register the route first', async () => {
    const to = await listening(
      expressAppRawBehindJson(receiver(), onDelivery).listen(0, '127.0.0.1'),
    );
    const result = await deliver(signer, 'meeting.ended', { to, timeoutMs: 5_000 });
    expect([result.status, result.body, handled.length]).toEqual([500, 'body-consumed', 0]);
  });
});
