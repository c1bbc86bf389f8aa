import { readFileSync } from 'node:fs';
import type { WebhookEvent } from '@realtimekit-webhooks/types';
import { parse } from 'yaml';

const spec = parse(
  readFileSync(new URL('../../../spec/realtimekit-webhooks.yaml', import.meta.url), 'utf8'),
);

/** The spec's example delivery body of `event`. */
export function exampleFor(event: WebhookEvent): Record<string, unknown> {
  const ref: string =
    spec.webhooks[event].post.requestBody.content['application/json'].examples.delivery.$ref;
  return spec.components.examples[ref.split('/').at(-1) as string].value;
}

/** The payload Cloudflare's RealtimeKit webhooks page publishes for `event` (fixtures/README.md). */
export function documentedPayload(event: WebhookEvent): Record<string, unknown> {
  return JSON.parse(
    readFileSync(new URL(`./fixtures/cloudflare-docs/${event}.json`, import.meta.url), 'utf8'),
  );
}

/** The events the spec's `webhooks:` section describes. */
export const specEvents = Object.keys(spec.webhooks) as WebhookEvent[];

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** A fresh RSA key pair made for the test run: its PEM public key and a signer. */
export async function makeSigner() {
  const pair = await crypto.subtle.generateKey(
    { ...ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const base64 = btoa(String.fromCharCode(...spki));
  const publicKeyPem = `-----BEGIN PUBLIC KEY-----\n${base64.match(/.{1,64}/g)?.join('\n')}\n-----END PUBLIC KEY-----\n`;
  const sign = async (body: string | Uint8Array) => {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const signature = new Uint8Array(
      await crypto.subtle.sign(ALGORITHM, pair.privateKey, bytes as Uint8Array<ArrayBuffer>),
    );
    return btoa(String.fromCharCode(...signature));
  };
  return { publicKeyPem, sign };
}

let deliveryCount = 0;

/** Headers of a delivery of `body` signed with `signature`, with a fresh `rtk-uuid`. */
export function deliveryHeaders(signature: string, id = `delivery-${++deliveryCount}`) {
  return {
    'content-type': 'application/json',
    'rtk-signature': signature,
    'rtk-uuid': id,
    'rtk-webhook-id': '0d1f069d-43bb-489a-ad8c-7eb95592ba8e',
  };
}

/** The answer of RealtimeKit's key URL for `publicKeyPem`, with an optional Cache-Control. */
export function keyAnswer(publicKeyPem: string, cacheControl?: string): Response {
  return Response.json(
    { success: true, data: { publicKey: publicKeyPem }, message: '' },
    cacheControl === undefined ? {} : { headers: { 'cache-control': cacheControl } },
  );
}

/** A Fetch Request as RealtimeKit would POST it. */
export function deliveryRequest(body: string | Uint8Array, headers: Record<string, string>) {
  return new Request('https://service.example.com/rtk', {
    method: 'POST',
    body: body as BodyInit,
    headers,
  });
}
