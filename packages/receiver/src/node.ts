/**
 * Node's http server adapter: reads the raw body of an IncomingMessage and verifies it. A separate
 * entry point, so the main one stays free of anything Node-specific.
 */
import type { Delivery } from './delivery.js';
import { WebhookVerificationError } from './errors.js';
import type { WebhookReceiver } from './receiver.js';

const DEFAULT_MAX_BYTES = 1024 * 1024;

/**
 * What the adapter needs of Node's `http.IncomingMessage` (or any Node-style request): declared
 * here so that this entry needs no Node type definitions.
 */
export interface IncomingMessage extends AsyncIterable<Uint8Array | string> {
  headers: Record<string, string | string[] | undefined>;
  resume(): unknown;
}

/** The request body as bytes, exactly as sent; refuses more than `maxBytes` (default 1 MiB). */
export async function readRawBody(
  request: IncomingMessage,
  maxBytes = DEFAULT_MAX_BYTES,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.byteLength;
    if (size > maxBytes) {
      request.resume(); // drain the rest without keeping it
      throw new WebhookVerificationError(
        'malformed-body',
        `the body is larger than ${maxBytes} bytes`,
      );
    }
    chunks.push(bytes);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Reads and verifies a delivery that arrived on Node's http server. */
export async function verifyNodeRequest(
  receiver: WebhookReceiver,
  request: IncomingMessage,
  maxBytes?: number,
): Promise<Delivery> {
  return receiver.verifyRaw(await readRawBody(request, maxBytes), request.headers);
}
