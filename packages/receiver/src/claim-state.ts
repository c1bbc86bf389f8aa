// The claim state machine, once: what a claim, renewal, completion or release does to a
// delivery's keys, as a pure function of what the keys hold now. The memory store and the Durable
// Object keep only their reads and writes around it; the Redis script is its one other form, and
// the store contract tests (test/store-contract.ts) judge all of them alike.

/** What `claim` found. */
export type ClaimResult =
  | { readonly state: 'claimed' }
  | { readonly state: 'done' }
  | { readonly state: 'busy'; readonly retryAfterMs: number };

/** What `complete` did: `completed` (marked done), or why not. */
export type CompleteResult = 'completed' | 'done' | 'taken';

/** One key's record: the token that claimed or completed it, whether it is done, and until when. */
export interface Entry {
  readonly token: string;
  readonly done: boolean;
  /** When it lapses, on the store's own clock (milliseconds). */
  readonly expiresAt: number;
}

/** A step of the store protocol over all of one delivery's keys. */
export type ClaimStep =
  | { readonly op: 'claim' | 'renew'; readonly token: string; readonly leaseMs: number }
  | { readonly op: 'complete'; readonly token: string; readonly ttlMs: number }
  /** Without a token: remove the keys whatever they hold (`receiver.forget`). */
  | { readonly op: 'release'; readonly token?: string | undefined };

/** What each step answers. */
export interface StepResults {
  claim: ClaimResult;
  renew: boolean;
  complete: CompleteResult;
  release: undefined;
}

/**
 * What a step decided: its answer, and the change to make, all of it or none: `write` to every
 * key, or remove the keys whose `remove` flag is set.
 */
export interface Decision<R> {
  readonly result: R;
  readonly write?: Entry;
  readonly remove?: readonly boolean[];
}

export const CLAIMED: ClaimResult = Object.freeze({ state: 'claimed' });
export const DONE: ClaimResult = Object.freeze({ state: 'done' });

/**
 * Decides `step` over the keys' stored entries (`undefined` where a key is absent; a lapsed entry
 * counts as absent), at `now` on the same clock as their `expiresAt`.
 */
export function decide<S extends ClaimStep>(
  step: S,
  stored: readonly (Entry | undefined)[],
  now: number,
): Decision<StepResults[S['op']]> {
  return decideAny(step, stored, now) as Decision<StepResults[S['op']]>;
}

function decideAny(
  step: ClaimStep,
  stored: readonly (Entry | undefined)[],
  now: number,
): Decision<StepResults[keyof StepResults]> {
  const live = stored.map((entry) => (entry && entry.expiresAt > now ? entry : undefined));
  switch (step.op) {
    case 'claim': {
      if (live.some((entry) => entry?.done)) return { result: DONE };
      const busyUntil = Math.max(0, ...live.map((entry) => entry?.expiresAt ?? 0));
      if (busyUntil > 0) {
        return { result: { state: 'busy', retryAfterMs: busyUntil - now } };
      }
      return { result: CLAIMED, write: claimOf(step.token, now + step.leaseMs) };
    }
    case 'renew': {
      // Only a claim this token still holds on every key is extended: a lapsed or taken claim
      // is not revived (its successor may be running).
      const held = live.every((entry) => entry && !entry.done && entry.token === step.token);
      return held
        ? { result: true, write: claimOf(step.token, now + step.leaseMs) }
        : { result: false };
    }
    case 'complete': {
      let held = false;
      let done = false;
      for (const entry of live) {
        if (entry === undefined) continue;
        if (entry.token === step.token) held = true;
        else if (entry.done) done = true;
        else return { result: 'taken' };
      }
      if (done && !held) return { result: 'done' };
      return {
        result: 'completed',
        write: { token: step.token, done: true, expiresAt: now + step.ttlMs },
      };
    }
    case 'release':
      // By token, whether or not its lease ran out: a late release never removes another's mark.
      return {
        result: undefined,
        remove: stored.map(
          (entry) =>
            entry !== undefined && (step.token === undefined || entry.token === step.token),
        ),
      };
  }
  throw new TypeError(`unknown store step ${(step as { op: unknown }).op}`);
}

function claimOf(token: string, expiresAt: number): Entry {
  return { token, done: false, expiresAt };
}
