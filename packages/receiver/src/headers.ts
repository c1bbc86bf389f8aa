/** Headers as a Fetch `Headers` or as a plain object (Node's `IncomingHttpHeaders`, any casing). */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** The trimmed first value of header `name` (lower case), or undefined when absent or blank. */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  let value: string | string[] | null | undefined;
  if (headers instanceof Headers) value = headers.get(name);
  else {
    value = headers[name];
    // A plain object may spell the name in any case (`RTK-Signature`); HTTP names are not.
    if (value === undefined) {
      const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
      value = key === undefined ? undefined : headers[key];
    }
  }
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string') return undefined;
  const trimmed = first.trim();
  return trimmed === '' ? undefined : trimmed;
}
