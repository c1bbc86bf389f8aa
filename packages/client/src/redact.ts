// Removes the API token from anything an error carries. The client never puts it there itself, but
// a proxy or server that echoes the request (headers, a debug body) would; errors get logged.

const REDACTED = '[redacted]';

/** `value` with every occurrence of `secret` in its strings replaced. */
export function redact(value: unknown, secret: string): unknown {
  if (secret === '') return value;
  if (typeof value === 'string')
    return value.includes(secret) ? value.replaceAll(secret, REDACTED) : value;
  if (Array.isArray(value)) return value.map((item) => redact(item, secret));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redact(item, secret)]),
    );
  }
  return value;
}

/** A copy of `headers` without `secret` in any value. */
export function redactHeaders(headers: Headers, secret: string): Headers {
  const clean = new Headers();
  headers.forEach((value, name) => {
    clean.append(name, redact(value, secret) as string);
  });
  return clean;
}
