// A body something else read first (a framework's JSON parser, a logging middleware) is named at
// once, as a 500 that says how to fix the route, never a hang and never a 401 (which RealtimeKit
// would record as failed for good); a body that stops arriving is bounded in time.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver, WebhookVerificationError } from '../src/index.js';
import { nodeHandler } from '../src/node.js';
import { deliveryHeaders, deliveryRequest, exampleFor, makeSigner } from './helpers.js';
import { parsedFirstServer } from './parsed-first-server.js';

let signer: Awaited<ReturnType<typeof makeSigner>>;
let body: string;
let headers: Record<string, string>;
beforeAll(async () => {
  signer = await makeSigner();
  body = JSON.stringify(exampleFor('meeting.ended'));
  headers = deliveryHeaders(await signer.sign(body), 'consumed');
});

const receiver = () => createWebhookReceiver({ publicKey: signer.publicKeyPem, seen: false });

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return error as WebhookVerificationError;
}

describe('a body consumed before the receiver', () => {
  // [what arrived instead of the raw body, what the message must say]
  const table: [string, unknown, RegExp][] = [
    ['a parsed JSON object (express.json ran first)', { event: 'meeting.ended' }, /already parsed/],
    ['undefined (nothing left of the body)', undefined, /no body was given/],
    ['null', null, /no body was given/],
    ['a number', 42, /a number, not bytes or text/],
  ];

  it.each(table)(
    'verifyRaw given %s: 500 body-consumed naming the cause and the fix',
    async (_name, given, cause) => {
      const error = await failure(receiver().verifyRaw(given as string, headers));
      expect(error).toMatchObject({ reason: 'body-consumed', status: 500 });
      expect(error.message).toMatch(cause);
      expect(error.message).toContain("express.raw({ type: 'application/json' })");
      expect(error.message).toContain('handle(c.req.raw)');
      expect(error.message).toContain("parseAs 'buffer'");
    },
  );

  it('handleRaw given a parsed object answers 500 body-consumed, and runs nothing', async () => {
    let runs = 0;
    const result = await receiver().handleRaw(JSON.parse(body), headers, () => {
      runs += 1;
    });
    expect([result.status, result.body, runs]).toEqual([500, 'body-consumed', 0]);
  });

  it('verify and handle of a Request whose body was read answer 500 body-consumed', async () => {
    const read = deliveryRequest(body, headers);
    await read.text();
    expect(await failure(receiver().verify(read))).toMatchObject({ reason: 'body-consumed' });
    const locked = deliveryRequest(body, headers);
    locked.body?.getReader();
    const answer = await receiver().handle(locked, () => {});
    expect([answer.status, await answer.text()]).toEqual([500, 'body-consumed']);
  });

  it('a Request whose first chunk something read (then let go) answers 500 body-consumed, not 401', async () => {
    const partly = deliveryRequest(body, headers);
    const reader = partly.body?.getReader();
    await reader?.read();
    reader?.releaseLock();
    const answer = await receiver().handle(partly, () => {});
    expect([answer.status, await answer.text()]).toEqual([500, 'body-consumed']);
  });

  it('a Node request a middleware read part of answers 500 body-consumed, not 401 bad-signature', async () => {
    let runs = 0;
    const handler = nodeHandler(receiver(), () => {
      runs += 1;
    });
    // A logging middleware that looks at the first chunk and passes the request on.
    const server = createServer((request, response) => {
      request.once('data', () => {
        request.pause();
        void handler(request, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const { request } = await import('node:http');
      const answer = await new Promise<[number, string]>((resolve, reject) => {
        const sent = request({ host: '127.0.0.1', port, method: 'POST', headers }, (response) => {
          let text = '';
          response.on('data', (chunk) => {
            text += chunk;
          });
          response.on('end', () => resolve([response.statusCode ?? 0, text]));
        });
        sent.on('error', reject);
        // Two writes apart in time, so the middleware's first chunk is not the whole body.
        sent.write(body.slice(0, 10));
        setTimeout(() => sent.end(body.slice(10)), 50);
      });
      expect([...answer, runs]).toEqual([500, 'body-consumed', 0]);
    } finally {
      server.close();
    }
  });

  it("a Node request whose stream a parser already ended: 500 at once, not a wait for an 'end' that came", async () => {
    // A body parser as Express's express.json() is: it reads the stream, then sets req.body.
    const server = await parsedFirstServer(nodeHandler(receiver(), () => {}));
    try {
      const response = await fetch(`${server.url}/`, {
        method: 'POST',
        body,
        headers,
        signal: AbortSignal.timeout(5_000),
      });
      expect([response.status, await response.text()]).toEqual([500, 'body-consumed']);
    } finally {
      server.close();
    }
  });

  it('a Node request whose parser left the raw bytes in req.body (express.raw) is verified from them', async () => {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        (request as IncomingMessage & { body: unknown }).body = Buffer.concat(chunks);
        void nodeHandler(receiver(), () => {})(request, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body, headers });
      expect([response.status, await response.text()]).toEqual([200, 'handled']);
    } finally {
      server.close();
    }
  });
});

describe('a body that stops arriving', () => {
  it('a Fetch body is refused with 503 body-timeout after bodyTimeoutMs', async () => {
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body.slice(0, 10)));
        // ...and nothing more, ever.
      },
    });
    const request = new Request('https://service.example.com/rtk', {
      method: 'POST',
      body: stalled,
      headers,
      duplex: 'half',
    } as RequestInit);
    const slow = createWebhookReceiver({ publicKey: signer.publicKeyPem, bodyTimeoutMs: 200 });
    const answer = await slow.handle(request, () => {});
    expect([answer.status, await answer.text()]).toEqual([503, 'body-timeout']);
  });

  it('a Node body is refused with 503 body-timeout after bodyTimeoutMs', async () => {
    const slow = createWebhookReceiver({ publicKey: signer.publicKeyPem, bodyTimeoutMs: 200 });
    const server = createServer(nodeHandler(slow, () => {}));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const { request } = await import('node:http');
      const answer = await new Promise<[number, string]>((resolve, reject) => {
        const sent = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            headers: { ...headers, 'content-length': '500' },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk) => {
              text += chunk;
            });
            response.on('end', () => {
              sent.destroy();
              resolve([response.statusCode ?? 0, text]);
            });
          },
        );
        sent.on('error', reject);
        sent.write(body.slice(0, 10)); // and never the rest
      });
      expect(answer).toEqual([503, 'body-timeout']);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it.each([0, -5, 2.5])('refuses bodyTimeoutMs %s, naming the option', (bodyTimeoutMs) => {
    expect(() => createWebhookReceiver({ bodyTimeoutMs })).toThrow(/bodyTimeoutMs must be/);
  });
});
