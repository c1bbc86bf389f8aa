// The reporting the client and the receiver share: OpenTelemetry without depending on it (see the
// types package's telemetry.ts for the shapes and why the global is read).
import type {
  ContextLike,
  MeterProviderLike,
  SpanLike,
  TelemetryAttributes,
  TelemetryOptions,
  TracerProviderLike,
} from '@realtimekit-webhooks/types';

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
