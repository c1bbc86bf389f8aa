import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWebhookReceiver, type Delivery, WebhookVerificationError } from '../src/index.js';
import { nodeHandler, verifyNodeRequest } from '../src/node.js';
import { deliveryHeaders, exampleFor, makeSigner } from './helpers.js';
import { chunkedHead, openRawConnection } from './raw-http.js';

const MiB = 1024 * 1024;
let signer: Awaited<ReturnType<typeof makeSigner>>;
const received: Delivery[] = [];
let port: number;
let close: () => void;

beforeAll(async () => {
  signer = await makeSigner();
  const receiver = createWebhookReceiver({
    publicKey: signer.publicKeyPem,
    maxBodyBytes: 64 * 1024,
  });
  // A handler as the README shows it: verify, then answer with the status the error suggests.
  const server = createServer(async (request, response) => {
    try {
      received.push(await verifyNodeRequest(receiver, request));
      response.writeHead(204).end();
    } catch (error) {
      const status = error instanceof WebhookVerificationError ? error.status : 500;
      response.writeHead(status).end(error instanceof Error ? error.message : '');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  close = () => server.close();
});
afterAll(() => close?.());

interface Sent {
  status: number;
  text: string;
  localPort: number;
}

/** POSTs `body` on `agent`; resolves once the answer is read and the body was written. */
function post(agent: Agent, headers: Record<string, string>, body: string) {
  return new Promise<Sent>((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path: '/rtk', method: 'POST', agent, headers },
      (response) => {
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part));
        response.on('end', () => {
          const localPort = request.socket?.localPort ?? -1;
          const answer = {
            status: response.statusCode ?? 0,
            text: Buffer.concat(parts).toString(),
            localPort,
          };
          written.then(() => resolve(answer), reject);
        });
      },
    );
    request.on('error', reject);
    const written = new Promise<void>((done) => request.end(body, done));
  });
}

describe("Node's http server adapter", () => {
  it('verifies a delivery from the raw bytes on the wire', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const body = JSON.stringify(exampleFor('meeting.participantJoined'), null, 1);
    const sent = await post(agent, deliveryHeaders(await signer.sign(body), 'node-1'), body);
    agent.destroy();
    expect(sent.status).toBe(204);
    expect(received.at(-1)).toMatchObject({ id: 'node-1', event: 'meeting.participantJoined' });
  });

  it('answers 401 to a forged delivery', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const body = JSON.stringify(exampleFor('meeting.ended'));
    const sent = await post(agent, deliveryHeaders(await signer.sign('other')), body);
    agent.destroy();
    expect(sent.status).toBe(401);
  });

  it('answers 413 to a 400 MiB chunked body, with bounded memory, and the kept-alive connection serves the next request', async () => {
    const connection = await openRawConnection(port);
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }, 5);
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const head = chunkedHead(deliveryHeaders(await signer.sign('x')));
    const [, huge] = await Promise.all([
      connection.send(head, chunk, 6400), // 400 MiB
      connection.answer(),
    ]);
    clearInterval(sampler);
    expect(huge).toEqual({
      status: 413,
      body: 'body-too-large: the body is larger than 65536 bytes',
    });
    expect(peak - before).toBeLessThan(64 * MiB);

    const body = new TextEncoder().encode(JSON.stringify(exampleFor('meeting.started')));
    await connection.send(
      chunkedHead(deliveryHeaders(await signer.sign(body), 'after-413')),
      body,
      1,
    );
    const next = await connection.answer();
    connection.end();
    expect(next.status).toBe(204);
    expect(received.at(-1)).toMatchObject({ id: 'after-413' });
  }, 120_000);

  it('answers 413 to a body over the limit that declares its length, on a connection that stays usable', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const big = 'x'.repeat(70 * 1024);
    const tooBig = await post(agent, deliveryHeaders(await signer.sign(big)), big);
    const body = JSON.stringify(exampleFor('meeting.ended'));
    const next = await post(agent, deliveryHeaders(await signer.sign(body), 'after-big'), body);
    agent.destroy();
    expect([tooBig.status, next.status]).toEqual([413, 204]);
    expect(next.localPort).toBe(tooBig.localPort);
  });
});

describe('nodeHandler: handle() as a Node request listener', () => {
  it('answers 200 once the handler resolved, 200 to the retry without a second run, 500 when it throws', async () => {
    const receiver = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      maxBodyBytes: 64 * 1024,
      onError: () => {},
    });
    const runs: string[] = [];
    const server = createServer(
      nodeHandler(receiver, {
        'meeting.ended': (delivery) => void runs.push(`${delivery.id} ${delivery.payload.reason}`),
        fallback: (delivery) => {
          throw new Error(`no handler for ${delivery.eventName}`);
        },
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const send = async (event: 'meeting.ended' | 'meeting.started', id: string, big = false) => {
      const body = big ? 'x'.repeat(70 * 1024) : JSON.stringify(exampleFor(event));
      const response = await fetch(url, {
        method: 'POST',
        body,
        headers: deliveryHeaders(await signer.sign(body), id),
      });
      return [response.status, await response.text()];
    };
    try {
      expect(await send('meeting.ended', 'node-handle-1')).toEqual([200, 'handled']);
      expect(await send('meeting.ended', 'node-handle-1')).toEqual([200, 'duplicate']);
      expect(await send('meeting.started', 'node-handle-2')).toEqual([500, 'handler-failed']);
      expect(await send('meeting.started', 'node-handle-3', true)).toEqual([413, 'body-too-large']);
      const reason = (exampleFor('meeting.ended') as { reason: string }).reason;
      expect(runs).toEqual([`node-handle-1 ${reason}`]);
    } finally {
      server.close();
    }
  });
});

describe('nodeHandler when the body cannot be read', () => {
  it('answers 500 (RealtimeKit retries) instead of rejecting, which would end a Node server', async () => {
    const receiver = createWebhookReceiver({ publicKey: signer.publicKeyPem });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const listeners: Record<string, (value?: unknown) => void> = {};
    const request = {
      headers: {},
      on(event: string, listener: (value?: unknown) => void) {
        listeners[event] = listener;
        return request;
      },
    };
    const written: unknown[] = [];
    const response = {
      writeHead: (status: number) => written.push(status),
      end: (body: string) => written.push(body),
    };
    const settled = nodeHandler(receiver, () => {})(request as never, response);
    listeners.error?.(new Error('aborted'));
    await expect(settled).resolves.toBeUndefined();
    expect(written).toEqual([500, 'internal-error']);
    expect(String(logged.mock.calls[0]?.[0])).toContain('aborted');
    logged.mockRestore();
  });
});
