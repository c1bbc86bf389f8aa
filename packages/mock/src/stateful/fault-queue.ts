// The faults a test asks for from outside: a queue, each taken by the first request it matches.
import type { Fault, RequestInfo } from './faults.js';

/** Which requests a queued fault applies to; absent fields match any. */
export interface FaultMatch {
  /** HTTP method, any case. */
  method?: string | undefined;
  /** The request path ends with this, e.g. `/webhooks` (the collection) or `/webhooks/<id>`. */
  path?: string | undefined;
}

/** A fault to inject into the next matching request. `after: true`: the API acts, then fails. */
export type MockFault =
  /** Answer with `status` (a 502 or 503 gets a gateway's body, others a RealtimeKit error). */
  | { kind: 'status'; status: number; after: boolean; match?: FaultMatch | undefined }
  /** Reset the connection, before acting (request lost) or after (response lost). */
  | { kind: 'reset'; after: boolean; match?: FaultMatch | undefined }
  /** Hold the request (before acting) or the response (after) for `ms`. */
  | { kind: 'delay'; ms: number; after: boolean; match?: FaultMatch | undefined }
  /** Refuse with 429 without acting, with `retry-after` when given. */
  | { kind: 'rateLimit'; retryAfterSeconds?: number | undefined; match?: FaultMatch | undefined };

/** Why `value` is not a MockFault, or undefined when it is one. */
export function faultProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a fault must be an object';
  const fault = value as Record<string, unknown>;
  const needsAfter = fault.kind !== 'rateLimit' && typeof fault.after !== 'boolean';
  if (fault.kind === 'status') {
    if (!(Number.isInteger(fault.status) && (fault.status as number) >= 100)) {
      return 'a status fault needs `status`, an HTTP status code';
    }
  } else if (fault.kind === 'delay') {
    if (!(typeof fault.ms === 'number' && fault.ms >= 0)) return 'a delay fault needs `ms` >= 0';
  } else if (fault.kind !== 'reset' && fault.kind !== 'rateLimit') {
    return '`kind` must be status, reset, delay or rateLimit';
  }
  if (needsAfter) return '`after` must be true (the API acts, then fails) or false';
  return undefined;
}

function matches(match: FaultMatch | undefined, request: RequestInfo): boolean {
  if (match?.method !== undefined && match.method.toUpperCase() !== request.method) return false;
  return match?.path === undefined || request.path.endsWith(match.path);
}

/** The fake's own fault for a queued one. */
function toFault(fault: MockFault): Fault {
  switch (fault.kind) {
    case 'status':
      return { kind: fault.after ? 'status-after' : 'status-before', status: fault.status };
    case 'reset':
      return { kind: fault.after ? 'drop-after' : 'drop-before' };
    case 'delay':
      return { kind: fault.after ? 'delay-after' : 'delay-before', ms: fault.ms };
    case 'rateLimit':
      return fault.retryAfterSeconds === undefined
        ? { kind: 'rate-limit' }
        : { kind: 'rate-limit', retryAfter: String(fault.retryAfterSeconds) };
  }
}

/** A queue of faults; `take` removes and returns the first that matches the request. */
export class FaultQueue {
  readonly #queued: MockFault[] = [];

  push(fault: MockFault): void {
    this.#queued.push(fault);
  }

  clear(): void {
    this.#queued.length = 0;
  }

  get size(): number {
    return this.#queued.length;
  }

  take(request: RequestInfo): Fault | undefined {
    const index = this.#queued.findIndex((fault) => matches(fault.match, request));
    if (index === -1) return undefined;
    const [fault] = this.#queued.splice(index, 1);
    return fault && toFault(fault);
  }
}
