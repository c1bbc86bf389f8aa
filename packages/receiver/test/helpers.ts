import { readFileSync } from 'node:fs';
import { specPath } from '@realtimekit-webhooks/spec';
import type { WebhookEvent } from '@realtimekit-webhooks/types';
import { parse } from 'yaml';
import { createTestSigner } from '../src/testing.js';

const spec = parse(readFileSync(specPath, 'utf8'));

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

/**
 * A fresh key pair from the kit's test signer: its PEM public key, and the `rtk-signature` of a body.
 * (The receiver's tests sign through the same code the kit's users do.)
 */
export async function makeSigner() {
  const signer = await createTestSigner();
  return {
    publicKeyPem: signer.publicKey,
    sign: async (body: string | Uint8Array) => (await signer.sign(body))['rtk-signature'],
  };
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
