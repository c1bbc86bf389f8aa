// What a service sees of each request without any telemetry package: the `onRequest` and
// `onResponse` hooks, told of every attempt. Spans and metrics come from a `ClientTelemetry`
// (OpenTelemetry's is `@realtimekit-webhooks/client/otel`), so an app that does not use one
// carries none of its code. Never in any of it: the token, a request or response body.

import type { RealtimeKitClientOptions } from './config.js';

/** One attempt of a call, as the hooks are told it. */
export interface AttemptInfo {
  /** The API operation (`addWebhook`, `getWebhook`, ...). */
  readonly operation: string;
  /** The HTTP method (`GET`, `POST`, ...). */
  readonly method: string;
  /** The request URL (no token: it travels in a header). */
  readonly url: string;
  /** 0 for the first attempt, 1 for the first retry, ... */
  readonly attempt: number;
}

/** How an attempt ended, as `onResponse` is told it. */
export interface AttemptResult extends AttemptInfo {
  /** The HTTP status, when an answer came. */
  readonly status?: number | undefined;
  /** The error class it failed with (`TimeoutError`, `RateLimitError`, ...), when it failed. */
  readonly errorType?: string | undefined;
  /** From sending to the answer read (or the failure), in milliseconds. */
  readonly durationMs: number;
}

/**
 * Spans and metrics for calls, made by `openTelemetry()` (`@realtimekit-webhooks/client/otel`).
 * What it is told of each operation and attempt is spelled out here rather than named: it is the
 * client's protocol with that entry, not a type users write.
 */
export interface ClientTelemetry {
  /** Starts watching one operation, or undefined when nothing is to be reported now. */
  operation(name: string):
    | {
        /** Starts watching one attempt: told how it ended. */
        attempt(info: AttemptInfo): { end(result: AttemptResult): void } | undefined;
        /** Runs `fn` with this operation's span active, so a call made inside nests under it. */
        run<T>(fn: () => Promise<T>): Promise<T>;
        /** The operation ended, with the error class it failed with (if it did). */
        end(errorType: string | undefined): void;
      }
    | undefined;
}

/** Watching one operation (see `ClientTelemetry`). */
export type OperationWatch = NonNullable<ReturnType<ClientTelemetry['operation']>>;

/** Where `import '@realtimekit-webhooks/client/otel'` registers OpenTelemetry for every client. */
export const TELEMETRY_SLOT = Symbol.for('@realtimekit-webhooks/client telemetry');

/** The watch of operation `name` under the client's `telemetry` (else the registered one), or undefined. */
export function watchOperation(
  options: Pick<RealtimeKitClientOptions, 'telemetry'>,
  name: string,
): OperationWatch | undefined {
  const telemetry =
    options.telemetry ?? (globalThis as { [TELEMETRY_SLOT]?: ClientTelemetry })[TELEMETRY_SLOT];
  return telemetry?.operation(name);
}

/** The class name of what a call failed with. */
export function errorTypeOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
