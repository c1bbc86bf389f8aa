// The one rule every request's URL follows: HTTPS, or plain HTTP only to this machine (a mock), and
// nothing in the URL that would change where the path goes or leak a credential.
import { WHITESPACE_OR_CONTROL } from './characters.js';

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** True for localhost, [::1] and 127.x.y.z: the hosts a plain-HTTP request may go to. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

const HTTPS_RULE =
  'must use https:// (plain http:// is allowed only for localhost / 127.0.0.1 / [::1], e.g. a mock)';

/** Why a request may not go to `url`, or undefined when it may. */
export function urlProblem(url: URL): string | undefined {
  if (url.protocol === 'http:' ? !isLoopbackHost(url.hostname) : url.protocol !== 'https:') {
    return HTTPS_RULE;
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not contain a user name or password (`user@`): the API token is the only credential';
  }
  return undefined;
}

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
    return { problem: 'must be an absolute URL such as https://api.cloudflare.com/client/v4' };
  }
  const problem = urlProblem(url);
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
