// Every key fetch ends: a key URL that accepts the connection and never answers, or answers a byte
// at a time, leaves deliveries answered 503 within keyFetchTimeoutMs, even when the garbage
// collector runs meanwhile (a deadline only a Request referred to was collected with its timer).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver } from '../src/index.js';
import { deliveryHeaders, deliveryRequest, exampleFor, makeSigner } from './helpers.js';

const gc = (globalThis as { gc?: () => void }).gc;
const servers: Server[] = [];
let signer: Awaited<ReturnType<typeof makeSigner>>;

beforeAll(async () => {
  signer = await makeSigner();
});
afterAll(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

async function keyServer(behave: (response: import('node:http').ServerResponse) => void) {
  const server = createServer((_request, response) => behave(response));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/webhooks.json`;
}

describe('a key URL that never finishes', () => {
  const behaviours: [string, (response: import('node:http').ServerResponse) => void][] = [
    ['accepts the connection and never answers', () => {}],
    [
      'answers, then trickles a byte every 100 ms without end',
      (response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => response.write(' '), 100);
        response.on('close', () => clearInterval(timer));
      },
    ],
  ];

  it.each(behaviours)(
    '%s: the delivery gets 503 within the deadline, garbage collector or not',
    async (_name, behave) => {
      expect(gc, 'the tests run with --expose-gc').toBeTypeOf('function');
      const keyUrl = await keyServer(behave);
      const receiver = createWebhookReceiver({ keyUrl, keyFetchTimeoutMs: 400 });
      const body = JSON.stringify(exampleFor('meeting.ended'));
      const headers = deliveryHeaders(await signer.sign(body));
      const started = performance.now();
      const answered = receiver.handle(deliveryRequest(body, headers), () => {});
      for (const at of [20, 100, 200]) {
        await new Promise((resolve) => setTimeout(resolve, at));
        gc?.();
      }
      const response = await answered;
      expect([response.status, await response.text()]).toEqual([503, 'key-unavailable']);
      // Bounded: the deadline plus scheduling, never the minutes a lost timer would take.
      expect(performance.now() - started).toBeLessThan(5_000);
    },
  );

  it('refuses a keyFetchTimeoutMs that is not a positive whole number', () => {
    expect(() => createWebhookReceiver({ keyFetchTimeoutMs: 0 })).toThrow(/keyFetchTimeoutMs/);
  });
});
