// Seeded random fault plans, so a reliability run can be repeated exactly.
import type { FaultPlan, MockFault } from './faults.js';

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The faults reliability runs go through, one of each way a network or gateway fails a request:
 * lost before the API acts, lost after, a gateway error after, throttled, answered too late, cut.
 */
export const RELIABILITY_FAULTS: readonly MockFault[] = [
  { kind: 'reset', after: false },
  { kind: 'reset', after: true },
  { kind: 'status', status: 503, after: true },
  { kind: 'rateLimit', retryAfterSeconds: 0 },
  { kind: 'delay', ms: 200, after: true },
  { kind: 'truncate' },
];

/** A short name of a fault for test titles and reports: `reset after`, `status 503 before`. */
export function faultLabel(fault: MockFault): string {
  const when = 'after' in fault ? (fault.after ? ' after' : ' before') : '';
  if (fault.kind === 'status') return `status ${fault.status}${when}`;
  if (fault.kind === 'delay') return `delay ${fault.ms} ms${when}`;
  return `${fault.kind}${when}`;
}

/** Settings of `randomFaults`. */
export interface RandomFaultOptions {
  /** Chance that a request gets the fault. Default: 0.5. */
  probability?: number;
  /** Most faults in one plan. Default: 3. */
  maxFaults?: number;
}

/** `fault` with seeded details: which 5xx a status fault answers, which retry header a 429 has. */
function varied(fault: MockFault, random: () => number): MockFault {
  if (fault.kind === 'status' && fault.status >= 500) {
    return { ...fault, status: ([500, 502, 503, 504] as const)[Math.floor(random() * 4)] ?? 500 };
  }
  if (fault.kind === 'rateLimit') {
    return random() < 0.5
      ? { kind: 'rateLimit', retryAfterSeconds: 0 }
      : { kind: 'rateLimit', retryAfterMs: 2 };
  }
  return fault;
}

/** A plan that gives any request, at random (seeded), `fault`. `count()` says how many it gave. */
export function randomFaults(
  fault: MockFault,
  seed: number,
  options: RandomFaultOptions = {},
): FaultPlan & { count(): number } {
  const random = seededRandom(seed);
  const { probability = 0.5, maxFaults = 3 } = options;
  let given = 0;
  const plan = () => {
    if (given >= maxFaults || random() >= probability) return undefined;
    given += 1;
    return varied(fault, random);
  };
  return Object.assign(plan, { count: () => given });
}
