// What a service sees, with the real OpenTelemetry SDK registered globally (in-memory exporters,
// as a service's own set-up registers them): one span per delivery with its outcome, the
// handler's work as a child span its own calls nest under, the metrics, and never a token,
// secret, signature or payload text in any of it. Then the hooks and the log, without OTel.
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { withUrlSecret } from '@realtimekit-webhooks/rules';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver, type DeliveryOutcome, memorySeenStore } from '../src/index.js';
import { nodeHandler } from '../src/node.js';
// What a service's telemetry set-up does: one import turns OpenTelemetry on for every receiver.
import { openTelemetry } from '../src/otel.js';
import { deliveryHeaders, exampleFor, makeSigner } from './helpers.js';
import { parsedFirstServer } from './parsed-first-server.js';

class TestReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

const SECRET = 'url-secret-for-telemetry-test-0123456789';
const spans = new InMemorySpanExporter();
const reader = new TestReader();
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(spans)],
});
const meterProvider = new MeterProvider({ readers: [reader] });
let signer: Awaited<ReturnType<typeof makeSigner>>;

beforeAll(async () => {
  signer = await makeSigner();
  trace.setGlobalTracerProvider(tracerProvider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  metrics.setGlobalMeterProvider(meterProvider);
});
afterAll(() => {
  trace.disable();
  context.disable();
  metrics.disable();
});
afterEach(() => spans.reset());

let sent = 0;
/** A signed delivery of its own: its body, signature and headers, and the Request it makes. */
async function signedDelivery(event: 'meeting.ended' | 'meeting.started' = 'meeting.ended') {
  sent += 1;
  const body = JSON.stringify({ ...exampleFor(event), sent });
  const signature = await signer.sign(body);
  const headers = deliveryHeaders(signature, `otel-${sent}`);
  const url = withUrlSecret('https://service.example.com/rtk', SECRET);
  return {
    body,
    signature,
    headers,
    request: () => new Request(url, { method: 'POST', body, headers }),
  };
}
const receiverWith = (options: Parameters<typeof createWebhookReceiver>[0] = {}) =>
  createWebhookReceiver({
    publicKey: signer.publicKeyPem,
    urlSecret: SECRET,
    onError: () => {},
    ...options,
  });
const deliverySpans = () =>
  spans.getFinishedSpans().filter((span) => span.name.startsWith('process'));
const outcomeOf = (span: ReadableSpan) => span.attributes['realtimekit.delivery.outcome'];

describe('OpenTelemetry registered globally and the otel entry imported: every receiver reports, with no option', () => {
  it('one span per delivery named for its event, with its id, webhook and outcome; the handler a child span its own calls nest under', async () => {
    const receiver = receiverWith();
    const delivery = await signedDelivery();
    const response = await receiver.handle(delivery.request(), async () => {
      // What a service's database client would do: a span of its own, under the active one.
      trace.getTracer('service').startActiveSpan('db insert', (span) => span.end());
    });
    expect(response.status).toBe(200);
    const finished = spans.getFinishedSpans();
    const root = finished.find((span) => span.name === 'process meeting.ended') as ReadableSpan;
    const handler = finished.find((span) => span.name === 'handle meeting.ended') as ReadableSpan;
    const db = finished.find((span) => span.name === 'db insert') as ReadableSpan;
    expect(root.kind).toBe(4); // CONSUMER
    expect(root.attributes).toMatchObject({
      'messaging.system': 'realtimekit',
      'messaging.operation.type': 'process',
      'messaging.message.id': delivery.headers['rtk-uuid'],
      'messaging.destination.name': 'meeting.ended',
      'realtimekit.webhook.id': delivery.headers['rtk-webhook-id'],
      'realtimekit.delivery.outcome': 'handled',
      'http.response.status_code': 200,
    });
    expect(root.status.code).toBe(0);
    expect(handler.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(db.parentSpanContext?.spanId).toBe(handler.spanContext().spanId);
  });

  it('names every outcome, with an error status where the service or its store failed', async () => {
    const receiver = receiverWith({ leaseMs: 5_000 });
    const handled = await signedDelivery();
    await receiver.handle(handled.request(), () => {});
    await receiver.handle(handled.request(), () => {}); // duplicate
    await receiver.handle((await signedDelivery('meeting.started')).request(), {
      'meeting.ended': () => {},
    }); // ignored
    const failing = await signedDelivery();
    await receiver.handle(failing.request(), () => {
      throw new Error('boom');
    });
    const slow = await signedDelivery();
    let release = () => {};
    const holding = receiver.handle(
      slow.request(),
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await receiver.handle(slow.request(), () => {}); // busy
    release();
    await holding;
    const forged = await signedDelivery();
    await receiver.handle(new Request(forged.request(), { body: `${forged.body} ` }), () => {}); // bad-signature
    const down = receiverWith({
      seen: { ...memorySeenStore(), claim: () => Promise.reject(new Error('store down')) },
    });
    await down.handle((await signedDelivery()).request(), () => {});

    const byOutcome = new Map(deliverySpans().map((span) => [outcomeOf(span), span]));
    expect([...byOutcome.keys()].sort()).toEqual(
      [
        'bad-signature',
        'busy',
        'duplicate',
        'handled',
        'handler-failed',
        'ignored',
        'store-unavailable',
      ].sort(),
    );
    for (const outcome of ['handler-failed', 'store-unavailable']) {
      expect(byOutcome.get(outcome)?.status.code).toBe(2);
      expect(byOutcome.get(outcome)?.attributes['error.type']).toBe(outcome);
    }
    for (const outcome of ['handled', 'duplicate', 'busy', 'ignored', 'bad-signature']) {
      expect(byOutcome.get(outcome)?.status.code).toBe(0);
    }
    expect(byOutcome.get('bad-signature')?.name).toBe('process delivery'); // never verified: no event
  });

  it('counts deliveries by outcome and event, and times the handler and each store step', async () => {
    const receiver = receiverWith();
    const delivery = await signedDelivery();
    await receiver.handle(
      delivery.request(),
      () => new Promise((resolve) => setTimeout(resolve, 30)),
    );
    await receiver.handle(delivery.request(), () => {});
    const { resourceMetrics } = await reader.collect();
    const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    const metric = (name: string) => all.find((m) => m.descriptor.name === name);
    const deliveries = metric('realtimekit.webhooks.deliveries');
    expect(deliveries?.descriptor.unit).toBe('{delivery}');
    const counted = Object.fromEntries(
      (deliveries?.dataPoints ?? []).map((point) => [
        `${point.attributes['realtimekit.delivery.outcome']} ${point.attributes['realtimekit.event']}`,
        point.value,
      ]),
    );
    expect(counted['handled meeting.ended']).toBeGreaterThanOrEqual(1);
    expect(counted['duplicate meeting.ended']).toBeGreaterThanOrEqual(1);
    const handler = metric('realtimekit.webhooks.handler.duration');
    expect(handler?.descriptor.unit).toBe('s');
    const slowest = Math.max(
      ...(handler?.dataPoints ?? []).map((p) => (p.value as { max?: number }).max ?? 0),
    );
    expect(slowest).toBeGreaterThanOrEqual(0.025);
    const steps = (metric('realtimekit.webhooks.store.duration')?.dataPoints ?? []).map(
      (point) => point.attributes['realtimekit.store.step'],
    );
    expect(steps).toEqual(expect.arrayContaining(['claim', 'complete']));
  });

  it('never carries the URL secret, the signature or the payload in any attribute', async () => {
    const receiver = receiverWith();
    const delivery = await signedDelivery();
    await receiver.handle(delivery.request(), () => {});
    await receiver.handle(
      new Request('https://service.example.com/rtk', {
        method: 'POST',
        body: delivery.body,
        headers: delivery.headers,
      }),
      () => {},
    );
    const { resourceMetrics } = await reader.collect();
    const texts = [
      ...spans
        .getFinishedSpans()
        .flatMap((span) => [span.name, ...Object.values(span.attributes).map(String)]),
      ...resourceMetrics.scopeMetrics.flatMap((scope) =>
        scope.metrics.flatMap((m) =>
          m.dataPoints.flatMap((p) => Object.values(p.attributes).map(String)),
        ),
      ),
    ].join('\n');
    expect(texts).toContain('wrong-secret'); // the second one was refused: its outcome is there
    expect(texts).not.toContain(SECRET);
    expect(texts).not.toContain(delivery.signature.slice(0, 24));
    const meeting = (
      exampleFor('meeting.ended') as { meeting: { title: string; organizedBy: { name: string } } }
    ).meeting;
    expect(texts).not.toContain(meeting.title);
    expect(texts).not.toContain(meeting.organizedBy.name);
  });
});

describe('without OpenTelemetry, or with providers passed explicitly', () => {
  it('reports nothing and changes nothing when no provider is registered', async () => {
    trace.disable();
    metrics.disable();
    try {
      const answer = await receiverWith().handle((await signedDelivery()).request(), () => {});
      expect([answer.status, await answer.text()]).toEqual([200, 'handled']);
      expect(spans.getFinishedSpans()).toEqual([]);
    } finally {
      trace.setGlobalTracerProvider(tracerProvider);
      metrics.setGlobalMeterProvider(meterProvider);
    }
  });

  it('reports through the providers it is given', async () => {
    const own = new InMemorySpanExporter();
    const receiver = receiverWith({
      telemetry: openTelemetry({
        tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(own)] }),
      }),
    });
    await receiver.handle((await signedDelivery()).request(), () => {});
    expect(own.getFinishedSpans().map((span) => span.name)).toEqual([
      'handle meeting.ended',
      'process meeting.ended',
    ]);
  });
});

describe('hooks and the log', () => {
  it('onOutcome is told each delivery once, with ids and timings and never the payload', async () => {
    const told: DeliveryOutcome[] = [];
    const receiver = receiverWith({ onOutcome: (outcome) => void told.push(outcome) });
    const delivery = await signedDelivery();
    await receiver.handle(
      delivery.request(),
      () => new Promise((resolve) => setTimeout(resolve, 10)),
    );
    await receiver.handle(delivery.request(), () => {});
    expect(told.map((t) => [t.outcome, t.status, t.eventName, t.deliveryId])).toEqual([
      ['handled', 200, 'meeting.ended', delivery.headers['rtk-uuid']],
      ['duplicate', 200, 'meeting.ended', delivery.headers['rtk-uuid']],
    ]);
    expect(told[0]?.handlerMs).toBeGreaterThanOrEqual(9);
    expect(told[0]?.durationMs).toBeGreaterThanOrEqual(told[0]?.handlerMs ?? 0);
    expect(JSON.stringify(told)).not.toContain('Weekly');
  });

  it('a hook or onError that throws or rejects changes no answer and crashes nothing', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const receiver = receiverWith({
        onOutcome: () => Promise.reject(new Error('hook rejects')),
        onError: async () => {
          throw new Error('onError rejects');
        },
      });
      const failing = await receiverWith({
        onOutcome: () => {
          throw new Error('hook throws');
        },
      }).handle((await signedDelivery()).request(), () => {});
      expect(failing.status).toBe(200);
      const answer = await receiver.handle((await signedDelivery()).request(), () => {
        throw new Error('handler fails');
      });
      expect([answer.status, await answer.text()]).toEqual([500, 'handler-failed']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('an unexpected failure (a body stream that errors) is answered 500 and written to the logger, not the console', async () => {
    const lines: string[] = [];
    const receiver = receiverWith({ logger: { error: (line) => void lines.push(line) } });
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('connection reset by peer'));
      },
    });
    const request = new Request('https://service.example.com/rtk', {
      method: 'POST',
      body,
      headers: (await signedDelivery()).headers,
      duplex: 'half',
    } as RequestInit);
    const answer = await receiver.handle(request, () => {});
    expect([answer.status, await answer.text()]).toEqual([500, 'internal-error']);
    expect(lines).toEqual([
      'rtk-webhooks: a delivery could not be handled, answered 500: Error: connection reset by peer',
    ]);
  });

  it('a body parsed before the receiver (express.json) is logged once, with the fix, however many deliveries hit it', async () => {
    const lines: string[] = [];
    const receiver = receiverWith({ logger: { error: (line) => void lines.push(line) } });
    // Behind a global express.json(), as a new user wires it.
    const server = await parsedFirstServer(nodeHandler(receiver, () => {}));
    try {
      for (let i = 0; i < 3; i += 1) {
        const delivery = await signedDelivery();
        const response = await fetch(`${server.url}/rtk?rtk_secret=${SECRET}`, {
          method: 'POST',
          body: delivery.body,
          headers: delivery.headers,
        });
        expect([response.status, await response.text()]).toEqual([500, 'body-consumed']);
      }
    } finally {
      server.close();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^rtk-webhooks: deliveries are answered 500 body-consumed: the request's body stream had ended .*express\.raw\(\{ type: 'application\/json' \}\)/,
    );
    expect(lines[0]).not.toContain(SECRET);
  });
});
