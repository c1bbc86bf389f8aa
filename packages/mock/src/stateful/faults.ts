// Faults the fake can inject into one request, to reproduce what networks and gateways do.

/** One injected fault. "-after" faults happen after the fake has acted on the request. */
export type Fault =
  /** Reset the connection before acting: the request is lost. */
  | { kind: 'drop-before' }
  /** Act, then reset the connection: the response is lost. */
  | { kind: 'drop-after' }
  /** Act, then answer with this status instead of the result (gateway bodies for 502/503). */
  | { kind: 'status-after'; status: number }
  /** Answer with this status without acting. */
  | { kind: 'status-before'; status: number }
  /** Hold the request for `ms`, then act and answer. */
  | { kind: 'delay-before'; ms: number }
  /** Refuse without acting: 429 with `retry-after` (seconds) or `retry-after-ms`. */
  | { kind: 'rate-limit'; retryAfter?: string; retryAfterMs?: string }
  /** Act, then hold the response for `ms` (past the client's timeout). */
  | { kind: 'delay-after'; ms: number }
  /** Act, then send half of the response body and reset the connection. */
  | { kind: 'truncate-after' };

/** The kinds of fault the reliability tests go through (network and gateway faults). */
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
