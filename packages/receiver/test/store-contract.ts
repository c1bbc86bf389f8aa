// The SeenStore contract (src/seen-store.ts) as one table of cases, run against every store: the
// memory store here, the Redis store on a real redis-server, the Durable Object's own logic.
import { describe, expect, it } from 'vitest';
import type { SeenStore } from '../src/index.js';

const LEASE = 10_000;
const TTL = 60_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let counter = 0;

/** A delivery's two keys, fresh for each case. */
function freshKeys(): [string, string] {
  counter += 1;
  return [`rtk-uuid:contract-${counter}-${Math.random()}`, `signed-body:contract-${counter}`];
}

/**
 * Runs the contract's cases against the store `make()` returns (called once, at the first case);
 * `skip` when its engine is not installed here.
 */
export function describeStoreContract(
  name: string,
  make: () => SeenStore | undefined,
  skip = false,
) {
  describe.skipIf(skip)(`${name} keeps the SeenStore contract`, () => {
    let made: SeenStore | undefined;
    const store = () => {
      made ??= make();
      if (!made) throw new Error(`${name}: no store`);
      return made;
    };

    it('claims free keys for one token; another token finds them busy for the rest of the lease', async () => {
      const keys = freshKeys();
      expect(await store().claim(keys, 'a', LEASE)).toEqual({ state: 'claimed' });
      const busy = await store().claim(keys, 'b', LEASE);
      expect(busy.state).toBe('busy');
      const retryAfterMs = busy.state === 'busy' ? busy.retryAfterMs : -1;
      expect(retryAfterMs).toBeGreaterThan(LEASE - 2_000);
      expect(retryAfterMs).toBeLessThanOrEqual(LEASE);
    });

    it('of 20 concurrent claims of one delivery, exactly one gets it', async () => {
      const keys = freshKeys();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store().claim(keys, `racer-${i}`, LEASE)),
      );
      expect(results.filter((r) => r.state === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r.state === 'busy')).toHaveLength(19);
    });

    it('renews only for the token holding the claim', async () => {
      const keys = freshKeys();
      await store().claim(keys, 'holder', LEASE);
      expect(await store().renew(keys, 'other', LEASE)).toBe(false);
      expect(await store().renew(keys, 'holder', LEASE)).toBe(true);
    });

    it('a completed delivery is done for every later claim and mark', async () => {
      const keys = freshKeys();
      await store().claim(keys, 'holder', LEASE);
      expect(await store().complete(keys, 'holder', TTL)).toBe('completed');
      expect(await store().claim(keys, 'retry', LEASE)).toEqual({ state: 'done' });
      expect(await store().complete(keys, 'verify', TTL)).toBe('done');
      expect(await store().renew(keys, 'holder', LEASE)).toBe(false);
    });

    it('done under either key: a replay under a fresh id, a retry signed anew', async () => {
      const [id, body] = freshKeys();
      const [otherId, otherBody] = freshKeys();
      expect(await store().complete([id, body], 'first', TTL)).toBe('completed');
      expect(await store().claim([otherId, body], 'replay', LEASE)).toEqual({ state: 'done' });
      expect(await store().claim([id, otherBody], 'resigned', LEASE)).toEqual({ state: 'done' });
      // Nothing was claimed by those refusals.
      expect(await store().claim([otherId, otherBody], 'next', LEASE)).toEqual({
        state: 'claimed',
      });
    });

    it('another token cannot complete or release a claim it does not hold', async () => {
      const keys = freshKeys();
      await store().claim(keys, 'holder', LEASE);
      expect(await store().complete(keys, 'intruder', TTL)).toBe('taken');
      await store().release(keys, 'intruder');
      expect((await store().claim(keys, 'third', LEASE)).state).toBe('busy');
      await store().release(keys, 'holder');
      expect(await store().claim(keys, 'third', LEASE)).toEqual({ state: 'claimed' });
    });

    it('a claim frees itself when its lease ends; the lapsed holder then changes nothing of its successor', async () => {
      const keys = freshKeys();
      await store().claim(keys, 'lapsed', 150);
      await pause(300);
      expect(await store().claim(keys, 'successor', LEASE)).toEqual({ state: 'claimed' });
      expect(await store().renew(keys, 'lapsed', LEASE)).toBe(false);
      expect(await store().complete(keys, 'lapsed', TTL)).toBe('taken');
      await store().release(keys, 'lapsed');
      expect((await store().claim(keys, 'third', LEASE)).state).toBe('busy');
      // Once the successor is done, the lapsed holder's late completion changes nothing either.
      expect(await store().complete(keys, 'successor', TTL)).toBe('completed');
      expect(await store().complete(keys, 'lapsed', TTL)).toBe('done');
      await store().release(keys, 'lapsed');
      expect(await store().claim(keys, 'fourth', LEASE)).toEqual({ state: 'done' });
    });

    it('a flagged replay (done under its body, a fresh id) leaves no key behind', async () => {
      const [id, body] = freshKeys();
      const [replayId, otherBody] = freshKeys();
      expect(await store().complete([id, body], 'original', TTL)).toBe('completed');
      // verify's mark and handle's claim of the replay: both refused, and neither writes its id.
      expect(await store().complete([replayId, body], 'replay-mark', TTL)).toBe('done');
      expect(await store().claim([replayId, body], 'replay-claim', LEASE)).toEqual({
        state: 'done',
      });
      expect(await store().claim([replayId, otherBody], 'then', LEASE)).toEqual({
        state: 'claimed',
      });
    });

    it('release by token takes back its own mark; without a token it forgets the keys', async () => {
      const keys = freshKeys();
      expect(await store().complete(keys, 'lost-answer', TTL)).toBe('completed');
      await store().release(keys, 'lost-answer');
      expect(await store().complete(keys, 'again', TTL)).toBe('completed');
      await store().release(keys);
      expect(await store().claim(keys, 'after-forget', LEASE)).toEqual({ state: 'claimed' });
    });

    it('a done mark lasts its time to live, then the keys are free', async () => {
      const keys = freshKeys();
      expect(await store().complete(keys, 'short', 150)).toBe('completed');
      expect(await store().claim(keys, 'soon', LEASE)).toEqual({ state: 'done' });
      await pause(300);
      expect(await store().claim(keys, 'later', LEASE)).toEqual({ state: 'claimed' });
    });
  });
}
