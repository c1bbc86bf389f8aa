// What a service sees of its calls, with the real OpenTelemetry SDK registered globally
// (in-memory exporters) and the /otel entry imported: one span per operation, one per HTTP
// attempt under it (a retry and a failure included; a duplicate-safe create's look before it
// sends again visible as such), the request duration metric, and never the token or a secret.
// Then the hooks, which need no OpenTelemetry.
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptInfo, AttemptResult } from '../src/index.js';
import '../src/otel.js';
import { json, recordingFetch, specExample, TEST_TOKEN, testClient } from './helpers.js';

class TestReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

const spans = new InMemorySpanExporter();
const reader = new TestReader();
const SECRET = 'rtk-secret-value-for-telemetry-0123456789';
const webhook = (specExample('WebhookAllEvents') as { data: Record<string, unknown> }).data;
const request = {
  name: 'billing',
  url: `https://billing.example.com/rtk?rtk_secret=${SECRET}`,
  events: ['meeting.ended' as const],
};
const fast = { backoff: { initialMs: 1, maxMs: 2 } };

beforeAll(() => {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
  );
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
afterAll(() => {
  trace.disable();
  context.disable();
  metrics.disable();
});
afterEach(() => spans.reset());

const named = (name: string) =>
  spans.getFinishedSpans().filter((span) => span.name === name) as ReadableSpan[];
const childrenOf = (parent: ReadableSpan) =>
  spans
    .getFinishedSpans()
    .filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);

describe('OpenTelemetry registered globally and the otel entry imported', () => {
  it('a retried call: one operation span, an attempt span per try with the HTTP conventions', async () => {
    let calls = 0;
    const { fetch } = recordingFetch(() =>
      ++calls === 1
        ? json(503, { success: false, error: { code: 503, message: 'busy' } })
        : json(200, { success: true, data: webhook }),
    );
    await testClient({ fetch, ...fast }).webhooks.get(String(webhook.id));
    const [operation] = named('getWebhook');
    expect(operation?.kind).toBe(0);
    expect(operation?.status.code).toBe(0);
    const attempts = childrenOf(operation as ReadableSpan);
    expect(attempts.map((span) => [span.name, span.kind])).toEqual([
      ['GET', 2],
      ['GET', 2],
    ]);
    expect(attempts[0]?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': 'api.test',
      'server.port': 443,
      'http.response.status_code': 503,
      'error.type': '503',
    });
    expect(attempts[0]?.status.code).toBe(2);
    expect(attempts[0]?.attributes['http.request.resend_count']).toBeUndefined();
    expect(attempts[1]?.attributes).toMatchObject({
      'http.response.status_code': 200,
      'http.request.resend_count': 1,
    });
    expect(String(attempts[1]?.attributes['url.full'])).toMatch(
      /^https:\/\/api\.test\/client\/v4\/accounts\/.+\/webhooks\//,
    );
  });

  it('a failed call: the operation and its attempt carry the error, with an error status', async () => {
    const { fetch } = recordingFetch(() =>
      json(404, { success: false, error: { code: 404, message: 'no' } }),
    );
    await expect(testClient({ fetch }).webhooks.get(String(webhook.id))).rejects.toThrow();
    const [operation] = named('getWebhook');
    expect(operation?.attributes['error.type']).toBe('NotFoundError');
    expect(operation?.status.code).toBe(2);
    expect(childrenOf(operation as ReadableSpan)[0]?.attributes['error.type']).toBe('404');
  });

  it("a create whose answer was lost: its look before sending again is a span of its own under the create's", async () => {
    let posts = 0;
    const { fetch } = recordingFetch((req) => {
      if (req.method === 'POST' && ++posts === 1)
        throw new TypeError('fetch failed: socket hang up');
      if (req.method === 'GET') return json(200, { success: true, data: [] });
      return json(201, { success: true, data: { ...webhook, ...request } });
    });
    await testClient({ fetch, ...fast }).webhooks.create(request);
    const [create] = named('addWebhook');
    const children = childrenOf(create as ReadableSpan);
    expect(children.map((span) => span.name)).toEqual([
      'POST',
      'getAllWebhooks (duplicate check)',
      'POST',
    ]);
    expect(children[0]?.attributes['error.type']).toBe('ConnectionError');
    const check = children[1] as ReadableSpan;
    expect(childrenOf(check).map((span) => span.name)).toEqual(['GET']);
  });

  it('records the request duration metric by method, status and operation', async () => {
    const { fetch } = recordingFetch(() => json(200, { success: true, data: [webhook] }));
    await testClient({ fetch }).webhooks.list();
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((m) => m.descriptor.name === 'http.client.request.duration');
    expect(metric?.descriptor.unit).toBe('s');
    expect(metric?.dataPoints.map((point) => point.attributes)).toContainEqual(
      expect.objectContaining({
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        'realtimekit.operation': 'getAllWebhooks',
      }),
    );
  });

  it('never carries the token or a URL secret in any attribute, even from a server that echoes them', async () => {
    const { fetch } = recordingFetch((req) =>
      json(400, {
        success: false,
        error: { code: 400, message: `${req.headers.get('authorization')} ${request.url}` },
      }),
    );
    await expect(testClient({ fetch, maxRetries: 0 }).webhooks.create(request)).rejects.toThrow();
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
    expect(texts).toContain('addWebhook');
    expect(texts).not.toContain(TEST_TOKEN);
    expect(texts).not.toContain(SECRET);
  });
});

describe('hooks, with or without OpenTelemetry', () => {
  it('onRequest and onResponse are told each attempt: operation, method, URL, attempt, status or error, duration', async () => {
    const requests: AttemptInfo[] = [];
    const responses: AttemptResult[] = [];
    let calls = 0;
    const { fetch } = recordingFetch(() =>
      ++calls === 1
        ? json(
            429,
            { success: false, error: { code: 429, message: 'slow down' } },
            { 'retry-after': '0' },
          )
        : json(200, { success: true, data: [] }),
    );
    await testClient({
      fetch,
      ...fast,
      onRequest: (info) => void requests.push(info),
      onResponse: (result) => void responses.push(result),
    }).webhooks.list();
    expect(requests.map((r) => [r.operation, r.method, r.attempt])).toEqual([
      ['getAllWebhooks', 'GET', 0],
      ['getAllWebhooks', 'GET', 1],
    ]);
    expect(responses.map((r) => [r.status, r.errorType, r.attempt])).toEqual([
      [429, 'RateLimitError', 0],
      [200, undefined, 1],
    ]);
    expect(responses.every((r) => r.durationMs >= 0 && r.url === requests[0]?.url)).toBe(true);
    expect(JSON.stringify([requests, responses])).not.toContain(TEST_TOKEN);
  });

  it('a hook that throws or rejects changes no call and crashes nothing', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { fetch } = recordingFetch(() => json(200, { success: true, data: [webhook] }));
      const listed = await testClient({
        fetch,
        onRequest: () => {
          throw new Error('hook throws');
        },
        onResponse: () => Promise.reject(new Error('hook rejects')),
      }).webhooks.list();
      expect(listed).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
