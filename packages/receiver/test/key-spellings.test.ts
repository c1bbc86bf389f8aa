// The signing key however it is written down. Cloudflare's verification sample removes literal
// `\n` pairs (a backslash and an `n`) from the `publicKey` its key URL serves before importing it,
// so a key may come JSON-escaped as well as with real line breaks: every spelling below must
// verify a delivery through `handle`, given as the option and served by the key URL, or every
// delivery would be refused. Anything else is refused with a message that says what was seen,
// never the key itself.
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver } from '../src/index.js';
import { deliveryHeaders, deliveryRequest, exampleFor, keyAnswer, makeSigner } from './helpers.js';

let signer: Awaited<ReturnType<typeof makeSigner>>;
/** The base64 of the key, on one line: what no message may quote. */
let base64Body: string;
beforeAll(async () => {
  signer = await makeSigner();
  base64Body = signer.publicKeyPem.split('\n').slice(1, -2).join('');
});

const BEGIN = '-----BEGIN PUBLIC KEY-----';
const END = '-----END PUBLIC KEY-----';
/** The key's base64 in 64-character lines, as PEM writes it. */
const lines = () => base64Body.match(/.{1,64}/g) ?? [];

/** Each accepted spelling, built from the signer's key. */
const accepted: [string, () => string][] = [
  ['real line breaks (LF)', () => signer.publicKeyPem],
  [
    "literal \\n pairs, as Cloudflare's sample expects",
    () => [BEGIN, ...lines(), END, ''].join('\\n'),
  ],
  ['CRLF line breaks', () => [BEGIN, ...lines(), END, ''].join('\r\n')],
  ['literal \\r\\n pairs', () => [BEGIN, ...lines(), END].join('\\r\\n')],
  ['no breaks at all between the armour lines', () => `${BEGIN}${base64Body}${END}`],
  ['the body on one line', () => `${BEGIN}\n${base64Body}\n${END}`],
  ['surrounding whitespace', () => `\n\t  ${signer.publicKeyPem}  \n\n`],
  ['mixed real and escaped breaks', () => `${BEGIN}\\n${lines().join('\n')}\\r\\n${END}\\n`],
];

/** A signed delivery of meeting.started as a Fetch Request (its own rtk-uuid). */
async function signedRequest() {
  const body = JSON.stringify(exampleFor('meeting.started'));
  return deliveryRequest(body, deliveryHeaders(await signer.sign(body)));
}

/** A key URL serving `publicKey` in the answer RealtimeKit documents. */
const servedBy = (publicKey: string) => async () => keyAnswer(publicKey);

describe('a signing key written', () => {
  // Each spelling given as the option, and served by the key URL.
  const ways = accepted.flatMap(([name, spell]) => [
    [`${name}, given as the option`, () => createWebhookReceiver({ publicKey: spell() })],
    [`${name}, served by the key URL`, () => createWebhookReceiver({ fetch: servedBy(spell()) })],
  ]) as [string, () => ReturnType<typeof createWebhookReceiver>][];

  it.each(ways)('with %s verifies a delivery', async (_name, receiverFor) => {
    const handled: string[] = [];
    const response = await receiverFor().handle(
      await signedRequest(),
      (d) => void handled.push(d.event),
    );
    expect([response.status, await response.text()]).toEqual([200, 'handled']);
    expect(handled).toEqual(['meeting.started']);
  });

  it('is one key however often it is served with other line breaks (no second key kept)', async () => {
    // A key URL alternating spellings of one key: the receiver must not take it for a rotation.
    const spellings = accepted.map(([, spell]) => spell());
    let served = 0;
    const receiver = createWebhookReceiver({
      fetch: async () => keyAnswer(spellings[served++ % spellings.length] as string, 'max-age=0'),
    });
    for (let i = 0; i < 3; i += 1) {
      const response = await receiver.handle(await signedRequest(), () => undefined);
      expect(response.status).toBe(200);
    }
  });
});

/** Spellings that are not an SPKI PEM, and what the message must say. */
const refused: [string, () => string, RegExp][] = [
  ['an empty string', () => '  \\n ', /is empty/],
  [
    'a PKCS#1 key',
    () => signer.publicKeyPem.replaceAll('PUBLIC KEY', 'RSA PUBLIC KEY'),
    /RSA PUBLIC KEY where an SPKI PUBLIC KEY is needed \(PKCS#1: `openssl rsa/,
  ],
  [
    'a private key',
    () => '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
    /holds a PRIVATE KEY where an SPKI PUBLIC KEY is needed/,
  ],
  [
    'a certificate',
    () => '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----',
    /holds a CERTIFICATE where/,
  ],
  [
    'the whole key URL answer',
    () => JSON.stringify({ data: { publicKey: signer.publicKeyPem } }),
    /looks like JSON.*data\.publicKey/,
  ],
  ['a quoted key', () => `"${signer.publicKeyPem}"`, /has 1 characters before.*remove them/],
  [
    'the body without armour',
    () => base64Body,
    /no -----BEGIN PUBLIC KEY----- line.*armour lines are missing/,
  ],
  [
    'a key cut short',
    () => signer.publicKeyPem.slice(0, 200),
    /no -----END PUBLIC KEY----- line.*cut short/,
  ],
  [
    'text after the key',
    () => `${signer.publicKeyPem}trailing`,
    /8 characters after -----END PUBLIC KEY-----/,
  ],
  [
    'a double-escaped break',
    () => [BEGIN, ...lines(), END].join('\\\\n'),
    /"\\" \(U\+005C\) at character 1 .*not base64/,
  ],
  [
    'a body that is not base64',
    () => `${BEGIN}\n${base64Body.slice(0, 40)}%${base64Body.slice(41)}\n${END}`,
    /"%" \(U\+0025\) at character 41/,
  ],
  ['a body of broken length', () => `${BEGIN}\n${base64Body.slice(1)}\n${END}`, /not whole base64/],
];

describe('a signing key that is not an SPKI PEM', () => {
  it.each(refused)(
    '(%s) is refused at construction, saying what was seen',
    (_name, spell, message) => {
      let error: unknown;
      try {
        createWebhookReceiver({ publicKey: spell() });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^publicKey must be an SPKI PEM/);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(base64Body.slice(0, 24));
    },
  );

  it.each(refused)(
    '(%s) served by the key URL answers 503 key-unavailable, saying what was seen',
    async (_name, spell, message) => {
      const errors: unknown[] = [];
      const receiver = createWebhookReceiver({
        fetch: servedBy(spell()),
        onError: (error) => void errors.push(error),
      });
      const response = await receiver.handle(await signedRequest(), () => undefined);
      expect([response.status, await response.text()]).toEqual([503, 'key-unavailable']);
      const error = await receiver
        .verifyRaw('{}', deliveryHeaders('AAAA'))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ reason: 'key-unavailable' });
      expect((error as Error).message).toMatch(/data\.publicKey that is not an SPKI PEM/);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(base64Body.slice(0, 24));
    },
  );
});
