// A secret in a webhook's URL binds deliveries to the service that registered the webhook: the
// signing key is one key for all of RealtimeKit, so a valid signature proves RealtimeKit sent a
// delivery, not that it was meant for you (any customer can point a webhook at your URL, and
// rtk-webhook-id is not signed). The client and the CLI put the secret in the URL they register;
// the receiver accepts only deliveries whose URL carries it.

/** The query parameter the secret travels in. */
export const URL_SECRET_PARAM = 'rtk_secret';

/** What a secret may be: long enough not to be guessed, and safe in a URL as it is. */
const SECRET = /^[A-Za-z0-9._~-]{16,256}$/;

/** Why `secret` cannot be a URL secret, or undefined. */
export function urlSecretProblem(secret: unknown): string | undefined {
  if (typeof secret === 'string' && SECRET.test(secret)) return undefined;
  return 'a URL secret must be 16 to 256 characters of A-Z, a-z, 0-9, ".", "_", "~" or "-" (for instance 32 random bytes as base64url)';
}

/** `url` with `secret` as its `rtk_secret` query parameter (replacing any there). */
export function withUrlSecret(url: string, secret: string): string {
  const problem = urlSecretProblem(secret);
  if (problem) throw new TypeError(problem);
  const parsed = new URL(url);
  parsed.searchParams.set(URL_SECRET_PARAM, secret);
  return parsed.href;
}

// The parameter however the URL was written into a text: `?`, `&` or `;` before it, the URL
// itself percent-encoded into another (`%26rtk_secret%3D`), HTML-escaped (`&amp;rtk_secret=`) or
// JSON-escaped (`\u0026rtk_secret\u003d`). The value ends where the next parameter, quote or
// encoding starts.
const SECRET_IN_TEXT = /(rtk_secret(?:=|%3[dD]|\\u003[dD]))[^&\s"'<>;%\\]+/g;

/** `text` with every `rtk_secret` value replaced by `***`, in every spelling, for output and logs. */
export function maskUrlSecret(text: string): string {
  return text.includes('rtk_secret') ? text.replace(SECRET_IN_TEXT, '$1***') : text;
}
