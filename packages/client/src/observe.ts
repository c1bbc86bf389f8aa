// What a service sees of each request without any telemetry package: the `onRequest` and
// `onResponse` hooks, told of every attempt. Spans and metrics come from a `ClientTelemetry`
// (OpenTelemetry's is `@realtimekit-webhooks/client/otel`), so an app that does not use one
// carries none of its code. Never in any of it: the token, a request or response body.

/** One attempt of a call, as the hooks are told it. */
export interface AttemptInfo {
  /** The API operation (`addWebhook`, `getWebhook`, ...). */
  readonly operation: string;
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

/** Watching one attempt: told how it ended. */
export interface AttemptWatch {
  end(result: AttemptResult): void;
}

/** Watching one operation: its attempts, and the work (a nested call) done under it. */
export interface OperationWatch {
  attempt(info: AttemptInfo): AttemptWatch | undefined;
  /** Runs `fn` with this operation's span active, so a call made inside nests under it. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  end(errorType: string | undefined): void;
}

/** Spans and metrics for calls (see `@realtimekit-webhooks/client/otel`). */
export interface ClientTelemetry {
  /** Starts watching one operation, or undefined when nothing is to be reported now. */
  operation(name: string): OperationWatch | undefined;
}

/** Where `import '@realtimekit-webhooks/client/otel'` registers OpenTelemetry for every client. */
export const TELEMETRY_SLOT = Symbol.for('@realtimekit-webhooks/client telemetry');

/** Options of the client for seeing what happens. */
export interface ObservabilityOptions {
  /** Told of each attempt before it is sent. A hook that throws or rejects changes nothing. */
  onRequest?: ((info: AttemptInfo) => unknown) | undefined;
  /** Told how each attempt ended (status or error class, duration). Never a body or the token. */
  onResponse?: ((result: AttemptResult) => unknown) | undefined;
  /**
   * Spans and metrics: `openTelemetry({ tracerProvider, meterProvider })` from
   * `@realtimekit-webhooks/client/otel`. Default: what that entry registered when imported
   * (OpenTelemetry's global providers), else none.
   */
  telemetry?: ClientTelemetry | undefined;
}

/** The watch of operation `name` on a client with these options, or undefined. */
export function watchOperation(
  options: ObservabilityOptions,
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
