/**
 * Node's http server adapter: reads the raw body of an IncomingMessage, and handles or verifies
 * it. `(req, res)` as plain `http`, Express and Fastify's `reply.raw` give them. A separate entry
 * point, so the main one stays free of anything Node-specific.
 *
 * @packageDocumentation
 */
import { bytesCollector } from '@realtimekit-webhooks/rules';
import { bodyTooLarge } from './body-limit.js';
import { bodyConsumed, bodyTimedOut, notRawBodyCause } from './consumed-body.js';
import type { Delivery } from './delivery.js';
import {
  type DeliveryHandler,
  type DeliveryHandlers,
  failureAnswer,
  type HandleResult,
} from './handle.js';
import { handleReading, type WebhookReceiver } from './receiver.js';

/**
 * What the adapter needs of Node's `http.IncomingMessage` (or any Node-style request): declared
 * here so that this entry needs no Node type definitions.
 */
export interface IncomingMessage {
  headers: Record<string, string | string[] | undefined>;
  /** The request's path and query (checked for `urlSecret`). */
  readonly url?: string | undefined;
  /** True once the body stream has ended: something read it before the adapter. */
  readonly readableEnded?: boolean;
  /** What a framework's body parser left (Express's `express.raw` leaves the bytes here). */
  readonly body?: unknown;
  /** Node sets this once any 'data' was handed out: bytes the receiver can no longer see. */
  readonly readableDidRead?: boolean;
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** What the adapter needs of Node's `http.ServerResponse`. */
export interface ServerResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
}

/**
 * The request body as bytes, exactly as sent. Past `maxBytes` it rejects at once with a 413-class
 * error and keeps reading the rest into nothing: the socket is not destroyed, so the answer
 * reaches the sender and a keep-alive connection serves its next request. A body still arriving
 * after `timeoutMs` rejects with `body-timeout`. A body something else already read is taken from
 * `request.body` when that holds the bytes (`express.raw`), and is `body-consumed` otherwise:
 * waiting for a stream that has ended would never settle.
 */
export function readRawBody(
  request: IncomingMessage,
  maxBytes: number,
  timeoutMs = 10_000,
): Promise<Uint8Array<ArrayBuffer>> {
  if (request.readableEnded) {
    if (request.body instanceof Uint8Array) {
      return request.body.byteLength > maxBytes
        ? Promise.reject(bodyTooLarge(maxBytes))
        : Promise.resolve(request.body as Uint8Array<ArrayBuffer>);
    }
    return Promise.reject(
      bodyConsumed(
        `the request's body stream had ended before the receiver got it (${request.body === undefined ? 'something read it' : notRawBodyCause(request.body)})`,
      ),
    );
  }
  if (request.readableDidRead) {
    // A middleware took the first chunks and left the rest: the bytes left would fail the
    // signature, and a 401 would make RealtimeKit drop the delivery for good.
    return Promise.reject(
      bodyConsumed("part of the request's body was read by something before the receiver"),
    );
  }
  return new Promise((resolve, reject) => {
    // One growing buffer, not a list of chunks: each chunk Node hands over may hold on to a
    // whole socket read buffer, so a body sent a byte at a time would cost ~500x its size.
    let collected: ReturnType<typeof bytesCollector> | undefined = bytesCollector(maxBytes);
    let settled = false;
    const fail = (error: Error) => {
      settled = true;
      clearTimeout(timer);
      collected = undefined;
      reject(error);
    };
    const timer = setTimeout(() => fail(bodyTimedOut(timeoutMs)), timeoutMs);
    request.on('data', (chunk) => {
      if (settled) return; // drained, not kept
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      if (!collected?.add(bytes)) return fail(bodyTooLarge(maxBytes));
    });
    request.on('end', () => {
      if (settled || !collected) return;
      settled = true;
      clearTimeout(timer);
      resolve(collected.bytes());
    });
    request.on('error', (error) => {
      if (!settled) fail(error);
    });
  });
}

/** Reads (at most the receiver's `maxBodyBytes`) and verifies a delivery from Node's http server. */
export async function verifyNodeRequest(
  receiver: WebhookReceiver<unknown>,
  request: IncomingMessage,
): Promise<Delivery> {
  const body = await readRawBody(request, receiver.maxBodyBytes, receiver.bodyTimeoutMs);
  return receiver.verifyRaw(body, request.headers, { url: request.url });
}

/**
 * A Node request listener that handles each delivery with `receiver.handle`'s rules: claimed, run
 * once your handler resolves, answered 200, 500 (handler failed), 503 (busy, store down) or the
 * verification failure's status.
 *
 *   createServer(nodeHandler(receiver, { 'meeting.ended': (d) => save(d.payload) })).listen(8787);
 */
export function nodeHandler<Tx = undefined>(
  receiver: WebhookReceiver<Tx>,
  handler: DeliveryHandler<Tx> | DeliveryHandlers<Tx>,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    let result: HandleResult;
    try {
      // Reading is part of the delivery: a body a framework parsed first is answered, counted and
      // logged with its fix like any other outcome.
      const read = () => readRawBody(request, receiver.maxBodyBytes, receiver.bodyTimeoutMs);
      result = await handleReading(receiver, read, request.headers, handler, { url: request.url });
    } catch (error) {
      // Never a rejection: Node's http server would leave it unhandled and end the process.
      result = failureAnswer(error);
    }
    response.writeHead(result.status, result.headers);
    response.end(result.body);
  };
}
