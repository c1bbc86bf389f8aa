// How a failure is quoted inside another error's message, the same everywhere: its class name,
// its message, and its own cause's message (fetch's "fetch failed" says little; its cause says
// "connect ECONNREFUSED").

/** `Name: message (cause's message)` for an Error, the text of anything else. */
export function causeText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${inner}`;
}
