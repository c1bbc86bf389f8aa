// OpenTelemetry without depending on it. @opentelemetry/api 1.x keeps what a service registered
// (an SDK's `start()`/`register()`, or `trace.setGlobalTracerProvider`,
// `metrics.setGlobalMeterProvider`, `context.setGlobalContextManager`) on one global, under
// `Symbol.for('opentelemetry.js.api.1')`, so that every copy of the API in a process agrees. The
// client and the receiver read it there: a service that registered OpenTelemetry gets spans and
// metrics with no option, one that did not pays a property lookup a call and nothing more, and
// nobody's bundle gains the API package. Providers passed explicitly take precedence.

/** Attribute values as OpenTelemetry takes them (the scalar ones). */
export type TelemetryAttributes = Record<string, string | number | boolean | undefined>;

/** What the client and the receiver use of an OpenTelemetry span. */
export interface SpanLike {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  updateName(name: string): unknown;
  end(): void;
}

/** What is used of an OpenTelemetry Context (the API's `Context`). */
export interface ContextLike {
  getValue(key: symbol): unknown;
  setValue(key: symbol, value: unknown): ContextLike;
  deleteValue(key: symbol): ContextLike;
}

/** What is used of a tracer provider (the API's `TracerProvider`). */
export interface TracerProviderLike {
  getTracer(name: string): {
    startSpan(
      name: string,
      options?: { kind?: number; attributes?: TelemetryAttributes },
      context?: ContextLike,
    ): SpanLike;
  };
}

/** What is used of a meter provider (the API's `MeterProvider`). */
export interface MeterProviderLike {
  getMeter(name: string): {
    createCounter(
      name: string,
      options?: { description?: string; unit?: string },
    ): {
      add(value: number, attributes?: TelemetryAttributes): void;
    };
    createHistogram(
      name: string,
      options?: { description?: string; unit?: string },
    ): { record(value: number, attributes?: TelemetryAttributes): void };
  };
}

/** Providers to report through instead of the globally registered ones. */
export interface TelemetryOptions {
  /** Default: the tracer provider registered with OpenTelemetry's API, if any. */
  tracerProvider?: TracerProviderLike | undefined;
  /** Default: the meter provider registered with OpenTelemetry's API, if any. */
  meterProvider?: MeterProviderLike | undefined;
}
