// Byte conversions with the Web platform only (atob, TextEncoder): no Buffer, no Node built-ins.
import { bodyConsumed, notRawBodyCause } from './consumed-body.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes of strict base64 text, or undefined when it is not base64. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  const compact = text.trim();
  if (compact === '' || !BASE64.test(compact)) return undefined;
  const binary = atob(compact);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The DER bytes inside an SPKI PEM (`-----BEGIN PUBLIC KEY-----`), or undefined. */
export function pemToDer(pem: string): Uint8Array<ArrayBuffer> | undefined {
  const match = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(pem);
  return match?.[1] === undefined ? undefined : decodeBase64(match[1].replace(/\s+/g, ''));
}

/**
 * The body as bytes: given bytes are used as they are; a string is encoded as UTF-8. Anything
 * else (a parsed object, undefined) means the raw body was consumed elsewhere: `body-consumed`.
 */
export function toBytes(body: unknown): Uint8Array<ArrayBuffer> {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  // WebCrypto takes ArrayBuffer-backed views; a SharedArrayBuffer one is refused there, loudly.
  if (body instanceof Uint8Array) return body as Uint8Array<ArrayBuffer>;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw bodyConsumed(notRawBodyCause(body));
}
