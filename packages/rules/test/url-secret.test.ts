// maskUrlSecret: the CLI's output and the client's errors run through it, so every way a URL can
// be written into a text must lose its secret, and nothing else.
import { describe, expect, it } from 'vitest';
import { maskUrlSecret } from '../src/index.js';

const SECRET = 'abcdefghijklmnop-0123';
const url = `https://a.example/rtk?x=1&rtk_secret=${SECRET}&v=2`;

describe('maskUrlSecret', () => {
  it.each([
    ['as is', url, 'https://a.example/rtk?x=1&rtk_secret=***&v=2'],
    [
      'first parameter',
      `https://a.example/rtk?rtk_secret=${SECRET}`,
      'https://a.example/rtk?rtk_secret=***',
    ],
    [
      'percent-encoded into another URL',
      encodeURIComponent(url),
      encodeURIComponent('https://a.example/rtk?x=1&rtk_secret=').concat(
        '***',
        encodeURIComponent('&v=2'),
      ),
    ],
    [
      'HTML-escaped',
      url.replaceAll('&', '&amp;'),
      'https://a.example/rtk?x=1&amp;rtk_secret=***&amp;v=2',
    ],
    ['with ; separators', url.replaceAll('&', ';'), 'https://a.example/rtk?x=1;rtk_secret=***;v=2'],
    [
      'JSON-escaped',
      JSON.stringify(url).replaceAll('&', '\\u0026').replace('rtk_secret=', 'rtk_secret\\u003d'),
      '"https://a.example/rtk?x=1\\u0026rtk_secret\\u003d***\\u0026v=2"',
    ],
    [
      'in a quoted message',
      `"url" "${url}" is not allowed`,
      '"url" "https://a.example/rtk?x=1&rtk_secret=***&v=2" is not allowed',
    ],
  ])('masks the secret %s, keeping the rest', (_name, text, masked) => {
    expect(maskUrlSecret(text)).toBe(masked);
    expect(maskUrlSecret(text)).not.toContain(SECRET);
  });

  it('leaves a text without a secret as it is', () => {
    expect(maskUrlSecret('https://a.example/rtk?x=1')).toBe('https://a.example/rtk?x=1');
  });
});
