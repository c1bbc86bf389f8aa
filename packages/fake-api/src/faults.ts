// Faults the fake can inject into one request, to reproduce what networks and gateways do.

/** One injected fault. "-after" faults happen after the fake has acted on the request. */
export type Fault =
  /** Reset the connection before acting: the request is lost. */
  | { kind: 'drop-before' }
  /** Act, then reset the connection: the response is lost. */
  | { kind: 'drop-after' }
  /** Act, then answer with a gateway or server error instead of the result. */
  | { kind: 'status-after'; status: 500 | 502 | 503 | 504 }
  /** Refuse without acting: 429 with `retry-after` (seconds) or `retry-after-ms`. */
  | { kind: 'rate-limit'; retryAfter?: string; retryAfterMs?: string }
  /** Act, then hold the response for `ms` (past the client's timeout). */
  | { kind: 'delay-after'; ms: number }
  /** Act, then send half of the response body and reset the connection. */
  | { kind: 'truncate-after' };

/** The kinds of fault, for tests that go through each. */
export const FAULT_KINDS = [
  'drop-before',
  'drop-after',
  'status-after',
  'rate-limit',
  'delay-after',
  'truncate-after',
] as const satisfies readonly Fault['kind'][];

/** What a fault plan sees of a request. */
export interface RequestInfo {
  method: string;
  path: string;
  /** 0-based count of requests the fake has received. */
  index: number;
}

/** Decides, per request, whether to inject a fault. */
export type FaultPlan = (request: RequestInfo) => Fault | undefined;
