// The receiver where the network is hostile: a key URL that redirects (to hand over a key someone
// else holds), key URLs that would leave HTTPS or carry credentials, and signature headers in
// forms no signer makes. Body sizes are in body-limits.test.ts, replays in dedupe.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver, WebhookVerificationError } from '../src/index.js';
import { deliveryHeaders, deliveryRequest, exampleFor, keyAnswer, makeSigner } from './helpers.js';

type Signer = Awaited<ReturnType<typeof makeSigner>>;
let attacker: Signer;
let attackerKeyServer: Server;
let attackerKeyUrl = '';
let attackerHits = 0;
let redirectingKeyServer: Server;
let redirectingKeyUrl = '';
let redirectStatus = 302;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  attacker = await makeSigner();
  attackerKeyServer = createServer(async (_request, response) => {
    attackerHits += 1;
    const answer = keyAnswer(attacker.publicKeyPem);
    response.writeHead(200, { 'content-type': 'application/json' }).end(await answer.text());
  });
  attackerKeyUrl = `${await listen(attackerKeyServer)}/key`;
  redirectingKeyServer = createServer((_request, response) => {
    response.writeHead(redirectStatus, { location: attackerKeyUrl }).end();
  });
  redirectingKeyUrl = `${await listen(redirectingKeyServer)}/.well-known/webhooks.json`;
});
afterAll(() => {
  attackerKeyServer.close();
  redirectingKeyServer.close();
});

async function rejection(call: Promise<unknown>): Promise<WebhookVerificationError> {
  const error = await call.then(
    () => {
      throw new Error('expected the delivery to be refused');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return error as WebhookVerificationError;
}

describe('redirect kinds on the key URL', () => {
  it.each([301, 302, 303, 307, 308])(
    'a %i to a key someone else holds is not followed: their delivery is refused with 503',
    async (status) => {
      redirectStatus = status;
      attackerHits = 0;
      const receiver = createWebhookReceiver({ keyUrl: redirectingKeyUrl });
      const body = JSON.stringify(exampleFor('meeting.ended'));
      const error = await rejection(
        receiver.verify(deliveryRequest(body, deliveryHeaders(await attacker.sign(body)))),
      );
      expect(error).toMatchObject({ reason: 'key-unavailable', status: 503 });
      expect(error.message).toContain(`answered a redirect to ${attackerKeyUrl}`);
      expect(attackerHits).toBe(0);
    },
  );

  it('the same key served directly verifies, so the rows above fail only for the redirect', async () => {
    const receiver = createWebhookReceiver({ keyUrl: attackerKeyUrl });
    const body = JSON.stringify(exampleFor('meeting.ended'));
    const delivery = await receiver.verify(
      deliveryRequest(body, deliveryHeaders(await attacker.sign(body))),
    );
    expect(delivery.event).toBe('meeting.ended');
  });
});

describe('key URL forms', () => {
  it.each([
    ['https', 'https://keys.example.com/.well-known/webhooks.json', undefined],
    ['http on 127.0.0.1', 'http://127.0.0.1:9/key', undefined],
    ['http on localhost', 'http://localhost:9/key', undefined],
    ['http on [::1]', 'http://[::1]:9/key', undefined],
    ['http elsewhere', 'http://keys.example.com/key', /^keyUrl must use https:\/\//],
    [
      'http on a look-alike host',
      'http://localhost.example.com/key',
      /^keyUrl must use https:\/\//,
    ],
    ['ftp', 'ftp://keys.example.com/key', /^keyUrl must use https:\/\//],
    [
      'https with a user and password',
      'https://user:pass@keys.example.com/key',
      /^keyUrl must not contain a user name or password/,
    ],
    ['not a URL', 'keys.example.com/key', /^keyUrl must be an absolute URL such as https:\/\//],
  ])('%s: refused with %s', (_form, keyUrl, refusal) => {
    const make = () => createWebhookReceiver({ keyUrl });
    if (refusal === undefined) expect(make).not.toThrow();
    else expect(make).toThrow(refusal);
  });
});

describe('signature header forms', () => {
  let signer: Signer;
  beforeAll(async () => {
    signer = await makeSigner();
  });

  it.each([
    ['empty', () => '', 'missing-signature'],
    ['whitespace only', () => '   ', 'missing-signature'],
    ['not base64', () => '%%%not-base64%%%', 'bad-signature'],
    ['base64 of the wrong length', () => btoa('short'), 'bad-signature'],
    ['a valid signature of another body', async () => signer.sign('{}'), 'bad-signature'],
    ['the attacker key signature', async (body: string) => attacker.sign(body), 'bad-signature'],
  ] as const)('%s is refused as %s', async (_form, make, reason) => {
    const receiver = createWebhookReceiver({
      publicKey: signer.publicKeyPem,
    });
    const body = JSON.stringify(exampleFor('meeting.ended'));
    const error = await rejection(
      receiver.verify(deliveryRequest(body, deliveryHeaders(await make(body)))),
    );
    expect(error.reason).toBe(reason);
  });
});
