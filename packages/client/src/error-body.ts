// Reads a message out of whichever error shape the API (or a proxy in front of it) answered with.
// The reference documents three JSON shapes and bodies that are not JSON at all.

import { isRecord } from './is-record.js';

const MAX_DETAIL = 200;

type Described = { code: number | undefined; detail: string | undefined };

function asCode(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function clip(text: string): string | undefined {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return undefined;
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL)}…` : flat;
}

/** A message from text that is not JSON: an HTML page's title, the seed's `{ message: "..." }`, or the text. */
function describeText(text: string): string | undefined {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text);
  if (title?.[1]) return clip(title[1]);
  if (/^\s*</.test(text)) return 'the response was an HTML page';
  // The published 401 example is JSON-ish text with an unquoted key: `{ message: "Unauthorized" }`.
  const loose = /message"?\s*:\s*"([^"]*)"/.exec(text);
  if (loose?.[1]) return clip(loose[1]);
  return clip(text);
}

/** The error code and a one-line message of an error body of any shape. */
export function describeErrorBody(body: unknown): Described {
  if (typeof body === 'string') return { code: undefined, detail: describeText(body) };
  if (!isRecord(body)) return { code: undefined, detail: undefined };
  // RealtimeKit: { success: false, error: { code, message } }
  if (isRecord(body.error) && typeof body.error.message === 'string') {
    return { code: asCode(body.error.code), detail: clip(body.error.message) };
  }
  // Cloudflare v4: { success: false, errors: [{ code, message }], ... }
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const errors = body.errors.filter(isRecord);
    const messages = errors.map((e) => e.message).filter((m): m is string => typeof m === 'string');
    return { code: asCode(errors[0]?.code), detail: clip(messages.join('; ')) };
  }
  // Bare: { message }
  if (typeof body.message === 'string')
    return { code: asCode(body.code), detail: clip(body.message) };
  return { code: undefined, detail: undefined };
}
