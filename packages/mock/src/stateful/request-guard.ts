// What the mock refuses before anything else, on every door (the API and the control API): it
// runs on the test machine's loopback, so a web page the developer has open must not reach it.
// A browser marks every cross-origin request with `Origin` (the mock serves no page, so no origin
// is its own), and a page that rebinds its DNS name to 127.0.0.1 still sends its own name as
// `Host`. Bodies are read up to a cap, and a client that aborts mid-body ends its request only.
import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from '@realtimekit-webhooks/types';

/** The most a request body may hold: far above any webhook request or control call. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** Why `request` is refused (status and message), or undefined when it may go on. */
export function refusal(request: IncomingMessage): { status: number; message: string } | undefined {
  if (request.headers.origin !== undefined || request.headers['sec-fetch-site'] === 'cross-site') {
    return { status: 403, message: 'requests from web pages (an Origin header) are refused' };
  }
  const host = request.headers.host ?? '';
  let hostname = '';
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    // an unparsable Host is refused below
  }
  if (!isLoopbackHost(hostname)) {
    return {
      status: 403,
      message: `the Host header must name a loopback address, not ${JSON.stringify(host)}`,
    };
  }
  return undefined;
}

/** A body over `MAX_REQUEST_BYTES`: answered 413. */
export class BodyTooLargeError extends Error {}

/**
 * The request body, at most `MAX_REQUEST_BYTES`. Past that it rejects at once and keeps reading
 * the rest into nothing, so the 413 reaches a sender still writing. A client that aborts mid-body
 * rejects it too: the caller answers (or drops) that request, and nothing else.
 */
export function readCappedBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let overflowed = false;
    request.on('data', (chunk: Buffer) => {
      if (overflowed) return;
      size += chunk.byteLength;
      if (size > MAX_REQUEST_BYTES) {
        overflowed = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(`the body is larger than ${MAX_REQUEST_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!overflowed) resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
    request.on('aborted', () => reject(new Error('the client aborted the request')));
  });
}
