// The one-pass base64 decoder of the signature header agrees with the plain definition (a strict
// base64 regex, then atob) on every input: what it accepts, and the bytes it gives.
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../src/encoding.js';

const STRICT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The reference: trim, refuse anything but strict base64, decode with atob. */
function reference(text: string): number[] | undefined {
  const compact = text.trim();
  if (compact === '' || !STRICT.test(compact)) return undefined;
  return [...atob(compact)].map((char) => char.charCodeAt(0));
}

const decoded = (text: string) => {
  const bytes = decodeBase64(text);
  return bytes && [...bytes];
};

/** A seeded linear congruential generator (Numerical Recipes' constants), so a failure replays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('decodeBase64', () => {
  it.each([
    ['', undefined],
    ['QQ==', [65]],
    ['QUI=', [65, 66]],
    ['QUJD', [65, 66, 67]],
    ['  QUJD\n', [65, 66, 67]],
    ['QUJ', undefined],
    ['Q===', undefined],
    ['QU=D', undefined],
    ['QUJD=', undefined],
    ['QUJ-', undefined],
    ['QUJ_', undefined],
    ['QU JD', undefined],
    ['QUJ\u0100', undefined],
    ['QUJ\u0141', undefined],
  ] as const)('%j decodes to %j', (text, bytes) => {
    expect(decoded(text)).toEqual(bytes);
    expect(reference(text)).toEqual(bytes);
  });

  it('agrees with the reference on 50,000 seeded inputs, valid and broken', () => {
    const next = random(22);
    const alphabet =
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n.\u00e9\u0101';
    const disagreements: string[] = [];
    for (let i = 0; i < 50_000; i += 1) {
      let text: string;
      if (i % 2 === 0) {
        // A real encoding of random bytes, sometimes with one character replaced.
        const bytes = Array.from({ length: Math.floor(next() * 12) }, () =>
          Math.floor(next() * 256),
        );
        text = btoa(String.fromCharCode(...bytes));
        if (i % 3 === 0 && text.length > 0) {
          const at = Math.floor(next() * text.length);
          const char = alphabet[Math.floor(next() * alphabet.length)];
          text = `${text.slice(0, at)}${char}${text.slice(at + 1)}`;
        }
      } else {
        text = Array.from(
          { length: Math.floor(next() * 13) },
          () => alphabet[Math.floor(next() * alphabet.length)],
        ).join('');
      }
      if (JSON.stringify(decoded(text)) !== JSON.stringify(reference(text))) {
        disagreements.push(JSON.stringify(text));
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('decodes a real signature (256 bytes) exactly', () => {
    const next = random(7);
    const bytes = Array.from({ length: 256 }, () => Math.floor(next() * 256));
    expect(decoded(btoa(String.fromCharCode(...bytes)))).toEqual(bytes);
  });
});
