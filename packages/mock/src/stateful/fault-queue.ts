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

/** The fields each kind of fault takes. */
const FIELDS: Record<MockFault['kind'], readonly string[]> = {
  status: ['kind', 'status', 'after', 'match'],
  reset: ['kind', 'after', 'match'],
  delay: ['kind', 'ms', 'after', 'match'],
  rateLimit: ['kind', 'retryAfterSeconds', 'match'],
};
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const wholeIn = (value: unknown, low: number, high: number) =>
  Number.isInteger(value) && (value as number) >= low && (value as number) <= high;

/** Why `match` is not a FaultMatch, or undefined. */
function matchProblem(match: unknown): string | undefined {
  if (match === undefined) return undefined;
  if (!isObject(match))
    return '`match` must be an object such as { method: "POST", path: "/webhooks" }';
  for (const key of Object.keys(match)) {
    if (key !== 'method' && key !== 'path')
      return `\`match.${key}\` is not a field of match (method, path)`;
  }
  if (
    match.method !== undefined &&
    !(typeof match.method === 'string' && /^[A-Za-z]{1,16}$/.test(match.method))
  ) {
    return '`match.method` must be an HTTP method name such as "POST"';
  }
  if (match.path !== undefined && !(typeof match.path === 'string' && match.path.length <= 2048)) {
    return '`match.path` must be a string (the end of the path), at most 2048 characters';
  }
  return undefined;
}

/** Why `value` is not a MockFault (naming the field and what it takes), or undefined. */
export function faultProblem(value: unknown): string | undefined {
  if (!isObject(value))
    return 'a fault must be an object such as { kind: "status", status: 503, after: false }';
  const kind = value.kind as MockFault['kind'];
  const fields = Object.hasOwn(FIELDS, String(kind)) ? FIELDS[kind] : undefined;
  if (!fields) return '`kind` must be status, reset, delay or rateLimit';
  for (const key of Object.keys(value)) {
    if (!fields.includes(key))
      return `\`${key}\` is not a field of a ${kind} fault (${fields.join(', ')})`;
  }
  if (kind === 'status' && !wholeIn(value.status, 100, 599)) {
    return 'a status fault needs `status`, an HTTP status code from 100 to 599';
  }
  if (kind === 'delay' && !wholeIn(value.ms, 0, 600_000)) {
    return 'a delay fault needs `ms`, a whole number of milliseconds from 0 to 600000';
  }
  if (
    kind === 'rateLimit' &&
    value.retryAfterSeconds !== undefined &&
    !wholeIn(value.retryAfterSeconds, 0, 86_400)
  ) {
    return '`retryAfterSeconds` must be a whole number of seconds from 0 to 86400';
  }
  if (kind !== 'rateLimit' && typeof value.after !== 'boolean') {
    return '`after` must be true (the API acts, then fails) or false';
  }
  return matchProblem(value.match);
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
