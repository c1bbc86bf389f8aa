// A body is bounded in memory as well as in bytes: about 1 MB sent in one-byte HTTP chunks (each
// a `data` event of its own, each a slice of the socket's 64 KiB read buffer) must cost about what
// the same body in ordinary chunks costs, or any sender could make one request take hundreds of
// MiB before its signature or URL secret is even checked.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver } from '../src/index.js';
import { nodeHandler } from '../src/node.js';
import { deliveryHeaders, makeSigner } from './helpers.js';
import { chunkedHead } from './raw-http.js';

const MiB = 1024 * 1024;
const BODY_BYTES = 1_000_000; // under the default 1 MiB cap: read to the end, then refused
let port: number;
let close: () => void;
let headers: Record<string, string>;

beforeAll(async () => {
  const signer = await makeSigner();
  headers = deliveryHeaders(await signer.sign('another body'));
  const receiver = createWebhookReceiver({
    publicKey: signer.publicKeyPem,
    logger: { error() {} },
  });
  const server = createServer(nodeHandler(receiver, () => {}));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  close = () => server.close();
});
afterAll(() => close?.());

/** Sends a body of BODY_BYTES in chunks of `chunkBytes` (chunked encoding) and reads the answer. */
function send(chunkBytes: number): Promise<string> {
  const chunk = `${chunkBytes.toString(16)}\r\n${' '.repeat(chunkBytes)}\r\n`;
  const payload = Buffer.from(`${chunk.repeat(Math.ceil(BODY_BYTES / chunkBytes))}0\r\n\r\n`);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(chunkedHead(headers));
      socket.write(payload);
    });
    let answer = '';
    socket.on('data', (data) => {
      answer += String(data);
      if (answer.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(answer.split('\r\n')[0] ?? '');
      }
    });
    socket.on('error', reject);
  });
}

/** Heap and buffers in use: where a million chunk objects, or their buffers, would show. */
const inUse = () => {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

/** The peak growth of the heap and buffers while `work` runs. */
async function peakGrowth(work: () => Promise<unknown>): Promise<number> {
  const before = inUse();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, inUse());
  }, 2);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(0, peak - before);
}

describe('a body sent a byte at a time', () => {
  it('costs about what the same body in ordinary chunks costs, alone and four at once', async () => {
    const ordinary = await peakGrowth(() => send(64 * 1024));
    const oneByte = await peakGrowth(async () => {
      expect(await send(1)).toMatch(/^HTTP\/1\.1 401/); // read to the end, then refused
    });
    const fourAtOnce = await peakGrowth(() => Promise.all([send(1), send(1), send(1), send(1)]));
    console.log(
      `body memory (heap and buffers, peak growth): 1 MB in 64 KiB chunks ${(ordinary / MiB).toFixed(1)} MiB, in 1-byte chunks ${(oneByte / MiB).toFixed(1)} MiB, four 1-byte senders at once ${(fourAtOnce / MiB).toFixed(1)} MiB`,
    );
    // Within a small multiple of the bytes received: a list of the chunks took ~210 MiB alone
    // and ~460 MiB four at once here.
    expect(oneByte).toBeLessThan(32 * MiB);
    expect(fourAtOnce).toBeLessThan(96 * MiB);
  }, 60_000);
});

describe('a Fetch body streamed a byte at a time', () => {
  it('costs about what the same body in ordinary chunks costs (handle, verify and the other Fetch entry points share the reader)', async () => {
    const signer = await makeSigner();
    const receiver = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
      logger: { error() {} },
    });
    const deliver = (chunkBytes: number) => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= BODY_BYTES) return controller.close();
          // A fresh chunk object each pull, as a runtime's stream hands them over.
          for (let i = 0; i < 1024 && sent < BODY_BYTES; i += 1) {
            controller.enqueue(new Uint8Array(chunkBytes).fill(0x20));
            sent += chunkBytes;
          }
        },
      });
      const request = new Request('https://service.example.com/rtk', {
        method: 'POST',
        body,
        headers,
        duplex: 'half',
      } as RequestInit);
      return receiver.handle(request, () => {});
    };
    const ordinary = await peakGrowth(() => deliver(64 * 1024));
    let status = 0;
    const oneByte = await peakGrowth(async () => {
      status = (await deliver(1)).status;
    });
    console.log(
      `Fetch body memory (heap and buffers, peak growth): 1 MB in 64 KiB chunks ${(ordinary / MiB).toFixed(1)} MiB, in 1-byte chunks ${(oneByte / MiB).toFixed(1)} MiB`,
    );
    expect(status).toBe(401); // read to the end, then refused: the signature is another body's
    expect(oneByte).toBeLessThan(32 * MiB);
  }, 60_000);
});
