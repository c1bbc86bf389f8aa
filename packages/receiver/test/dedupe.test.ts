import { beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver, memorySeenStore } from '../src/index.js';
import { deliveryHeaders, exampleFor, makeSigner } from './helpers.js';

let signer: Awaited<ReturnType<typeof makeSigner>>;
beforeAll(async () => {
  signer = await makeSigner();
});
const body = JSON.stringify(exampleFor('meeting.ended'));

describe('de-duplication by rtk-uuid', () => {
  it('flags the second delivery with the same id, and only that one', async () => {
    const receiver = createWebhookReceiver({ publicKey: signer.publicKeyPem });
    const signature = await signer.sign(body);
    const first = await receiver.verifyRaw(body, deliveryHeaders(signature, 'same'));
    const again = await receiver.verifyRaw(body, deliveryHeaders(signature, 'same'));
    const other = await receiver.verifyRaw(body, deliveryHeaders(signature, 'other'));
    expect([first.duplicate, again.duplicate, other.duplicate]).toEqual([false, true, false]);
  });

  it('processes a delivery again after forget(), for handlers that failed', async () => {
    const receiver = createWebhookReceiver({ publicKey: signer.publicKeyPem });
    const signature = await signer.sign(body);
    await receiver.verifyRaw(body, deliveryHeaders(signature, 'retry-me'));
    await receiver.forget('retry-me');
    expect((await receiver.verifyRaw(body, deliveryHeaders(signature, 'retry-me'))).duplicate).toBe(
      false,
    );
  });

  it('does not let a forged request mark an id as seen', async () => {
    const receiver = createWebhookReceiver({ publicKey: signer.publicKeyPem });
    await receiver
      .verifyRaw(body, deliveryHeaders(await signer.sign('forged'), 'victim'))
      .catch(() => undefined);
    const real = await receiver.verifyRaw(body, deliveryHeaders(await signer.sign(body), 'victim'));
    expect(real.duplicate).toBe(false);
  });

  it('uses a pluggable store, and none with seen: false', async () => {
    const marked: string[] = [];
    const store = {
      markSeen: async (id: string) => {
        marked.push(id);
        return true;
      },
      forget: () => undefined,
    };
    const signature = await signer.sign(body);
    const custom = createWebhookReceiver({ publicKey: signer.publicKeyPem, seen: store });
    expect((await custom.verifyRaw(body, deliveryHeaders(signature, 'x'))).duplicate).toBe(true);
    expect(marked).toEqual(['x']);
    const off = createWebhookReceiver({ publicKey: signer.publicKeyPem, seen: false });
    await off.verifyRaw(body, deliveryHeaders(signature, 'y'));
    expect((await off.verifyRaw(body, deliveryHeaders(signature, 'y'))).duplicate).toBe(false);
  });

  it('keeps at most maxEntries ids in memory, forgetting the oldest', () => {
    const store = memorySeenStore(2);
    expect([store.markSeen('a'), store.markSeen('b'), store.markSeen('c')]).toEqual([
      false,
      false,
      false,
    ]);
    expect(store.markSeen('a')).toBe(false); // evicted when c came in
    expect(store.markSeen('c')).toBe(true);
  });
});
