// Byte conversions with the Web platform only (TextEncoder): no Buffer, no Node built-ins.
import { bodyConsumed, notRawBodyCause } from './consumed-body.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
// The value of each character code below 256; -1 for every code that is not in the alphabet.
const VALUE = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i += 1) VALUE[ALPHABET.charCodeAt(i)] = i;

/** The value of the character at `i`: 0-63, or -1 when it is not a base64 character. */
function valueAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code > 0xff ? -1 : (VALUE[code] as number);
}

/**
 * The bytes of strict base64 text (whole 4-character groups, `=` padding only at the end), or
 * undefined when it is not base64. Checked and decoded in one pass: a signature arrives with
 * every delivery, and a validating regex, `atob` and a copy loop cost three passes.
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  const compact = text.trim();
  const length = compact.length;
  if (length === 0 || length % 4 !== 0) return undefined;
  const padding =
    compact.charCodeAt(length - 1) !== 61 ? 0 : compact.charCodeAt(length - 2) === 61 ? 2 : 1;
  const bytes = new Uint8Array((length / 4) * 3 - padding);
  const whole = padding === 0 ? length : length - 4;
  // Any invalid character (-1) makes the OR of the groups negative; a code over 255 (looked up
  // by its low byte, which may be a valid one) shows in the OR of the codes. Masking instead of
  // branching per character halves the time of this loop.
  let invalid = 0;
  let wide = 0;
  let out = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = compact.charCodeAt(i);
    const b = compact.charCodeAt(i + 1);
    const c = compact.charCodeAt(i + 2);
    const d = compact.charCodeAt(i + 3);
    wide |= a | b | c | d;
    const group =
      ((VALUE[a & 0xff] as number) << 18) |
      ((VALUE[b & 0xff] as number) << 12) |
      ((VALUE[c & 0xff] as number) << 6) |
      (VALUE[d & 0xff] as number);
    invalid |= group;
    bytes[out] = group >> 16;
    bytes[out + 1] = group >> 8;
    bytes[out + 2] = group;
    out += 3;
  }
  if (padding > 0) {
    const third = padding === 2 ? 0 : valueAt(compact, whole + 2);
    const group =
      (valueAt(compact, whole) << 18) | (valueAt(compact, whole + 1) << 12) | (third << 6);
    invalid |= group;
    bytes[out] = group >> 16;
    if (padding === 1) bytes[out + 1] = group >> 8;
  }
  return invalid < 0 || wide > 0xff ? undefined : bytes;
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
