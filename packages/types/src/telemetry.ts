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

interface ContextManagerLike {
  active(): ContextLike;
  with<T>(context: ContextLike, fn: () => T): T;
}

/** What @opentelemetry/api 1.x keeps on its global. */
interface OtelGlobal {
  trace?: TracerProviderLike;
  metrics?: MeterProviderLike;
  context?: ContextManagerLike;
}

const API_GLOBAL = Symbol.for('opentelemetry.js.api.1');
/** The key the API keeps the active span under in a Context. */
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

/** OpenTelemetry's span kinds used here (the API's `SpanKind`, by value). */
export const SPAN_KIND = { INTERNAL: 0, CLIENT: 2, CONSUMER: 4 } as const;
/** OpenTelemetry's error status code (the API's `SpanStatusCode.ERROR`). */
export const SPAN_STATUS_ERROR = 2;

/** An instrument a package reports: a counter or a histogram, with its unit and description. */
export interface MetricSpec {
  readonly kind: 'counter' | 'histogram';
  readonly unit: string;
  readonly description: string;
}

/** One package's reporting, through the providers in force at the call. */
export interface Reporter<Metric extends string> {
  /** Starts a span; `parent`, when given, is its parent, else the active span is. */
  startSpan(
    name: string,
    kind: number,
    attributes: TelemetryAttributes,
    parent?: SpanLike | undefined,
  ): SpanLike | undefined;
  /** Runs `fn` with `span` active, so what `fn` reports nests under it (needs a context manager). */
  withSpan<T>(span: SpanLike | undefined, fn: () => T): T;
  /** Adds to a counter or records in a histogram. */
  record(metric: Metric, value: number, attributes: TelemetryAttributes): void;
}

/** A Context holding `span`: the active one with it set, or the least a tracer reads. */
function contextWith(manager: ContextManagerLike | undefined, span: SpanLike): ContextLike {
  if (manager) return manager.active().setValue(SPAN_KEY, span);
  const values = new Map<symbol, unknown>([[SPAN_KEY, span]]);
  const context: ContextLike = {
    getValue: (key) => values.get(key),
    setValue: (key, value) => {
      values.set(key, value);
      return context;
    },
    deleteValue: (key) => {
      values.delete(key);
      return context;
    },
  };
  return context;
}

/**
 * The reporter of package `scope` with its `metrics`, or undefined while neither a
 * tracer nor a meter provider is registered or given. Looked up at each call: a service may
 * register OpenTelemetry after it created the client or the receiver. Instruments are made once
 * per meter provider.
 */
export function reporterFor<Metric extends string>(
  scope: string,
  metrics: Readonly<Record<Metric, MetricSpec>>,
  options: TelemetryOptions | undefined,
): () => Reporter<Metric> | undefined {
  const made = new WeakMap<object, Reporter<Metric>>();
  return () => {
    const registered = (globalThis as { [API_GLOBAL]?: OtelGlobal })[API_GLOBAL];
    const tracerProvider = options?.tracerProvider ?? registered?.trace;
    const meterProvider = options?.meterProvider ?? registered?.metrics;
    if (!tracerProvider && !meterProvider) return undefined;
    const identity = (tracerProvider ?? meterProvider) as object;
    const cached = made.get(identity);
    if (cached && (!meterProvider || made.get(meterProvider) === cached)) return cached;
    const tracer = tracerProvider?.getTracer(scope);
    const meter = meterProvider?.getMeter(scope);
    const instruments = new Map<
      Metric,
      {
        add?(v: number, a?: TelemetryAttributes): void;
        record?(v: number, a?: TelemetryAttributes): void;
      }
    >();
    if (meter) {
      for (const [name, spec] of Object.entries(metrics) as [Metric, MetricSpec][]) {
        const options = { description: spec.description, unit: spec.unit };
        instruments.set(
          name,
          spec.kind === 'counter'
            ? meter.createCounter(name, options)
            : meter.createHistogram(name, options),
        );
      }
    }
    const manager = registered?.context;
    const reporter: Reporter<Metric> = {
      startSpan: (name, kind, attributes, parent) =>
        tracer?.startSpan(
          name,
          { kind, attributes },
          parent ? contextWith(manager, parent) : manager?.active(),
        ),
      withSpan: (span, fn) =>
        span && manager ? manager.with(contextWith(manager, span), fn) : fn(),
      record(metric, value, attributes) {
        const instrument = instruments.get(metric);
        instrument?.add?.(value, attributes);
        instrument?.record?.(value, attributes);
      },
    };
    made.set(identity, reporter);
    if (meterProvider) made.set(meterProvider, reporter);
    return reporter;
  };
}
