// Delivery bodies as a server in another language writes them: keys sorted, a space after every
// `:` and `,`, `/` escaped and everything outside ASCII as `\uXXXX` (as Go, PHP and Python's
// defaults do, in some mix). Never JSON.stringify's canonical form, so a receiver that verifies a
// re-serialised body (`JSON.stringify(req.body)`) fails its tests, as it would in production.

/** `text` as a JSON string with `/` and every non-ASCII character escaped. */
function quoted(text: string): string {
  return JSON.stringify(text).replace(/[/\u007f-\uffff]/g, (c) =>
    c === '/' ? '\\/' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `value` (JSON data) written the way described above. */
export function toWireJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' ? quoted(value) : JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) return `[${value.map(toWireJson).join(', ')}]`;
  const fields = Object.entries(value)
    .filter(([, field]) => field !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, field]) => `${quoted(key)}: ${toWireJson(field)}`);
  return `{${fields.join(', ')}}`;
}
