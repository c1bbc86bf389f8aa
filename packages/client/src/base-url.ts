// The base URL a client is created with: a string or a URL, following the shared HTTPS-or-loopback
// rule, with nothing in it that would change where the appended paths go.
import { API_BASE_URL, httpsOrLoopbackProblem } from '@realtimekit-webhooks/rules';
import { WHITESPACE_OR_CONTROL } from './characters.js';

/** The base URL without a trailing slash, or why it cannot be one. */
export function parseBaseUrl(value: unknown): { url: string } | { problem: string } {
  if (value instanceof URL) value = value.href;
  if (typeof value !== 'string') {
    return { problem: `must be a string or a URL, not ${describeType(value)}` };
  }
  // new URL() would quietly percent-encode a space or drop a tab: both mean a copy-paste slip.
  if (WHITESPACE_OR_CONTROL.test(value)) {
    return { problem: 'must not contain spaces, line breaks or control characters' };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `must be an absolute URL such as ${API_BASE_URL}` };
  }
  const problem = httpsOrLoopbackProblem(url);
  if (problem) return { problem };
  if (url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#')) {
    return { problem: 'must not have a query (?) or fragment (#): paths are appended to it' };
  }
  return { url: url.href.replace(/\/+$/, '') };
}

/** `undefined`, `null`, `array` or the `typeof`, for messages about a wrong type. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'undefined';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
