// The mock's one fault vocabulary: what a test queues through the control API, what a seeded plan
// injects, and what the doors apply (apply-fault.ts), all as `MockFault`.

/** Which requests a queued fault applies to; absent fields match any. */
export interface FaultMatch {
  /** HTTP method, any case. */
  method?: string | undefined;
  /** The request path ends with this, e.g. `/webhooks` (the collection) or `/webhooks/<id>`. */
  path?: string | undefined;
}

/**
 * A fault to inject into a request, the way networks and gateways fail in front of the real API.
 * `after: true`: the API acts, then the answer is lost or replaced; `false`: it never acts.
 */
export type MockFault =
  /**
   * Answer with `status`, 200 to 599 (a 1xx is not a final answer: a client would wait for one
   * until its timeout). A 502 or 503 gets a gateway's body, others a RealtimeKit error.
   */
  | { kind: 'status'; status: number; after: boolean; match?: FaultMatch | undefined }
  /** Reset the connection, before acting (request lost) or after (response lost). */
  | { kind: 'reset'; after: boolean; match?: FaultMatch | undefined }
  /** Hold the request (before acting) or the response (after) for `ms`. */
  | { kind: 'delay'; ms: number; after: boolean; match?: FaultMatch | undefined }
  /** Refuse with 429 without acting, with `retry-after` (seconds) or `retry-after-ms` when given. */
  | {
      kind: 'rateLimit';
      retryAfterSeconds?: number | undefined;
      retryAfterMs?: number | undefined;
      match?: FaultMatch | undefined;
    }
  /** Act, then send half of the answer's body and reset the connection. */
  | { kind: 'truncate'; match?: FaultMatch | undefined };

/** The fields each kind of fault takes. */
const FIELDS: Record<MockFault['kind'], readonly string[]> = {
  status: ['kind', 'status', 'after', 'match'],
  reset: ['kind', 'after', 'match'],
  delay: ['kind', 'ms', 'after', 'match'],
  rateLimit: ['kind', 'retryAfterSeconds', 'retryAfterMs', 'match'],
  truncate: ['kind', 'match'],
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
  if (!fields) return '`kind` must be status, reset, delay, rateLimit or truncate';
  for (const key of Object.keys(value)) {
    if (!fields.includes(key))
      return `\`${key}\` is not a field of a ${kind} fault (${fields.join(', ')})`;
  }
  if (kind === 'status' && !wholeIn(value.status, 200, 599)) {
    return 'a status fault needs `status`, an HTTP status code from 200 to 599 (a 1xx is not a final answer: the client would wait until its timeout)';
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
  if (
    kind === 'rateLimit' &&
    value.retryAfterMs !== undefined &&
    !wholeIn(value.retryAfterMs, 0, 86_400_000)
  ) {
    return '`retryAfterMs` must be a whole number of milliseconds from 0 to 86400000';
  }
  if (kind !== 'rateLimit' && kind !== 'truncate' && typeof value.after !== 'boolean') {
    return '`after` must be true (the API acts, then fails) or false';
  }
  return matchProblem(value.match);
}

/**
 * Decides, per request, whether to inject a fault. It sees the request's method, path and
 * 0-based `index` (how many requests the fake received before it).
 */
export type FaultPlan = (request: {
  readonly method: string;
  readonly path: string;
  readonly index: number;
}) => MockFault | undefined;

/** What a fault plan sees of a request. */
export type RequestInfo = Parameters<FaultPlan>[0];
