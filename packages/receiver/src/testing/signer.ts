// Signs test deliveries the way RealtimeKit signs real ones (RSASSA-PKCS1-v1_5, SHA-256, over the
// raw body, base64 in `rtk-signature`), with a key pair made for the test run. WebCrypto only: it
// runs in Node, Workers, Deno, Bun and browsers. No key is stored anywhere.

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** The headers of one signed delivery. */
export interface DeliveryHeaders {
  'content-type': 'application/json';
  'rtk-signature': string;
  'rtk-uuid': string;
  'rtk-webhook-id': string;
  [name: string]: string;
}

/** Options of one `sign` call. */
export interface SignOptions {
  /** The delivery id (`rtk-uuid`). Default: a new random UUID, as each real delivery has. */
  id?: string | undefined;
  /** The webhook the delivery is for (`rtk-webhook-id`). Default: a random UUID for this signer. */
  webhookId?: string | undefined;
}

/** A signer for test deliveries. */
export interface TestSigner {
  /** The SPKI PEM public key: give it to `createWebhookReceiver({ publicKey })`, or serve it. */
  readonly publicKey: string;
  /** The three `rtk-*` headers (and the content type) RealtimeKit would send with `body`. */
  sign(body: string | Uint8Array, options?: SignOptions): Promise<DeliveryHeaders>;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A fresh RSA-2048 key pair and its signer. Takes about 50 ms: make one per test file or run. */
export async function createTestSigner(): Promise<TestSigner> {
  const pair = await crypto.subtle.generateKey(
    { ...ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const lines = base64(spki).match(/.{1,64}/g) ?? [];
  const publicKey = `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
  const webhookId = crypto.randomUUID();
  return {
    publicKey,
    async sign(body, options = {}) {
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      const signature = await crypto.subtle.sign(
        ALGORITHM,
        pair.privateKey,
        bytes as Uint8Array<ArrayBuffer>,
      );
      return {
        'content-type': 'application/json',
        'rtk-signature': base64(new Uint8Array(signature)),
        'rtk-uuid': options.id ?? crypto.randomUUID(),
        'rtk-webhook-id': options.webhookId ?? webhookId,
      };
    },
  };
}
