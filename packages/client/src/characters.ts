// Characters that never belong in a token, an id or a base URL: each one there is a copy-paste
// slip (a Windows line end, a wrapped line) or an attempt to smuggle something into a request.

/** Any whitespace, C0 or C1 control character, or DEL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
export const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/;

/** Half of a surrogate pair without its other half: not Unicode, and encodeURIComponent throws on it. */
export const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
