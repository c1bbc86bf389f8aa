// Seeded random fault plans, so a reliability run can be repeated exactly.
import type { Fault, FaultPlan } from './faults.js';

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Settings of `randomFaults`. */
export interface RandomFaultOptions {
  /** Chance that a request gets the fault. Default: 0.5. */
  probability?: number;
  /** Most faults in one plan. Default: 3. */
  maxFaults?: number;
  /** How long a `delay-after` fault holds the response, in milliseconds. Default: 200. */
  delayMs?: number;
}

/** A fault of `kind` with seeded details (which 5xx, which retry header). */
function faultOf(kind: Fault['kind'], random: () => number, delayMs: number): Fault {
  if (kind === 'status-after' || kind === 'status-before') {
    return { kind, status: ([500, 502, 503, 504] as const)[Math.floor(random() * 4)] ?? 500 };
  }
  if (kind === 'rate-limit')
    return random() < 0.5 ? { kind, retryAfter: '0' } : { kind, retryAfterMs: '2' };
  if (kind === 'delay-after' || kind === 'delay-before') return { kind, ms: delayMs };
  return { kind };
}

/** A plan that gives any request, at random (seeded), a fault of `kind`. `count()` says how many. */
export function randomFaults(
  kind: Fault['kind'],
  seed: number,
  options: RandomFaultOptions = {},
): FaultPlan & { count(): number } {
  const random = seededRandom(seed);
  const { probability = 0.5, maxFaults = 3, delayMs = 200 } = options;
  let faults = 0;
  const plan = () => {
    if (faults >= maxFaults || random() >= probability) return undefined;
    faults += 1;
    return faultOf(kind, random, delayMs);
  };
  return Object.assign(plan, { count: () => faults });
}
