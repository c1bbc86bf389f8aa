// The signing key as text: an SPKI PEM however it was written down, or a message that says what
// was seen instead. Cloudflare's own verification sample removes literal `\n` pairs (a backslash
// and an `n`) from the `publicKey` its key URL serves, so a key may arrive JSON-escaped, with
// real line breaks, with CRLF, or with no breaks at all: each must import, or every delivery is
// refused. Messages never quote the key: they name its shape and where it went wrong.
import { decodeBase64 } from './encoding.js';

const BEGIN = '-----BEGIN PUBLIC KEY-----';
const END = '-----END PUBLIC KEY-----';

/** The DER bytes of an SPKI PEM, or why the text is not one (never quoting the text). */
export type ParsedPem = { der: Uint8Array<ArrayBuffer> } | { problem: string };

/** What a character is, for a message: the character when printable, and its code point. */
function describeCharacter(text: string, index: number): string {
  const code = text.codePointAt(index) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code > 0x20 && code < 0x7f ? `"${String.fromCodePoint(code)}" (${hex})` : hex;
}

/** The key's text with escaped line breaks made real and the ends trimmed. */
function normalise(text: string): string {
  // Base64 has no backslash, so a `\n` or `\r` pair can only be an escaped line break.
  return text.replace(/\\[nr]/g, '\n').trim();
}

/** Reads an SPKI PEM written with real or escaped (`\n`) line breaks, CRLF, or none. */
export function parsePem(text: string): ParsedPem {
  const pem = normalise(text);
  if (pem === '') return { problem: 'is empty' };
  if (pem.startsWith('{')) {
    return { problem: 'looks like JSON: give the value of data.publicKey, not the whole answer' };
  }
  // Another armour (a PKCS#1 or private key, a certificate) is named with what is needed instead.
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
  if (label && label !== 'PUBLIC KEY') {
    const pkcs1 =
      label === 'RSA PUBLIC KEY'
        ? ' (PKCS#1: `openssl rsa -RSAPublicKey_in -pubout` converts it)'
        : '';
    return { problem: `holds a ${label} where an SPKI PUBLIC KEY is needed${pkcs1}` };
  }
  const begin = pem.indexOf(BEGIN);
  if (begin === -1) {
    return {
      problem: `has no ${BEGIN} line (${pem.length} characters: the armour lines are missing)`,
    };
  }
  const end = pem.indexOf(END, begin + BEGIN.length);
  if (end === -1) return { problem: `has no ${END} line after ${BEGIN} (cut short?)` };
  const before = pem.slice(0, begin).trim().length;
  if (before > 0) return { problem: `has ${before} characters before ${BEGIN}: remove them` };
  const after = pem.slice(end + END.length).trim().length;
  if (after > 0) return { problem: `has ${after} characters after ${END}: remove them` };
  const body = pem.slice(BEGIN.length, end).replace(/\s+/g, '');
  if (body === '') return { problem: 'has nothing between its armour lines' };
  const der = decodeBase64(body);
  if (der) return { der };
  const bad = body.search(/[^A-Za-z0-9+/=]/);
  return {
    problem:
      bad === -1
        ? `holds ${body.length} characters between its armour lines, which is not whole base64 (cut short or padded wrongly?)`
        : `holds ${describeCharacter(body, bad)} at character ${bad + 1} between its armour lines, which is not base64`,
  };
}
