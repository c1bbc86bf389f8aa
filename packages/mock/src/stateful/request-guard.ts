// What the mock refuses before anything else, on every door (the API and the control API): it
// runs on the test machine's loopback, so a web page the developer has open must not reach it.
// A browser marks every cross-origin request with `Origin` (the mock serves no page, so no origin
// is its own), and a page that rebinds its DNS name to 127.0.0.1 still sends its own name as
// `Host`. Bodies are read up to a cap, and a client that aborts mid-body ends its request only.
import type { IncomingMessage } from 'node:http';
import { WebhookVerificationError } from '@realtimekit-webhooks/receiver';
import { readRawBody } from '@realtimekit-webhooks/receiver/node';
import { isLoopbackHost } from '@realtimekit-webhooks/rules';

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

/** How long a request body may take to arrive. */
const BODY_TIMEOUT_MS = 30_000;

/**
 * The request body, at most `MAX_REQUEST_BYTES`, within 30 s: the receiver's Node body reader
 * (it keeps draining past the cap, so a 413 reaches a sender still writing). Its failures are
 * `WebhookVerificationError`s whose `status` is the answer (413, 503); an aborted client rejects.
 */
export async function readCappedBody(request: IncomingMessage): Promise<Buffer> {
  const bytes = await readRawBody(request, MAX_REQUEST_BYTES, BODY_TIMEOUT_MS);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The status to answer a request whose handling failed with `error`. */
export function failureStatus(error: unknown): number {
  return error instanceof WebhookVerificationError ? error.status : 400;
}
