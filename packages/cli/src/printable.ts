// Server- and file-provided strings reach a terminal. An escape sequence in a webhook's name could
// retitle the window, write the clipboard (OSC 52) or redraw lines, and a newline could forge a
// table row. Everything printed for people goes through `printable`; JSON goes through
// `safeJson`, which keeps it JSON.

// C0 and C1 controls, DEL, bidirectional overrides and isolates, and the Unicode line separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

// What JSON.stringify leaves raw inside strings (it escapes C0 itself). Outside strings, JSON text
// has none of these, so escaping them everywhere keeps the text JSON with the same value.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escaped(char: string): string {
  return SHORT[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with every control character shown as an escape (`\n`, `\u001b`), so it prints as one inert line. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/** JSON text whose strings carry no raw control characters (JSON.stringify leaves C1 and bidi ones raw). */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, escaped);
}
