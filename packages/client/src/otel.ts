/**
 * OpenTelemetry for the client: one span per operation and one per HTTP attempt, and the request
 * duration metric, through the providers a service registered with OpenTelemetry's API (or the
 * ones it passes). Importing this entry once turns it on for every client:
 *
 *   import '@realtimekit-webhooks/client/otel'; // beside your OpenTelemetry SDK's start()
 *
 * or pass `telemetry: openTelemetry({ tracerProvider, meterProvider })` to one client. Nothing
 * here imports `@opentelemetry/api` (it reads what the API registered on its global), and an app
 * that does not import this entry carries none of it.
 *
 * Spans: the operation (`addWebhook`, `getWebhook`, ...; INTERNAL), and under it each attempt
 * (CLIENT, named for its method) with `http.request.method`, `server.address`, `server.port`,
 * `url.full` (no token: it travels in a header), `http.response.status_code`,
 * `http.request.resend_count` on a retry, and `error.type` with an error status on a failure. A
 * duplicate-safe create's look before it sends again is its own operation under the create:
 * `getAllWebhooks (duplicate check)`. Metric: `http.client.request.duration` (s), by method,
 * status, server, error type and `realtimekit.operation`.
 *
 * @packageDocumentation
 */

import {
  type MetricSpec,
  reporterFor,
  SPAN_KIND,
  SPAN_STATUS_ERROR,
} from '@realtimekit-webhooks/rules';
import type { TelemetryAttributes, TelemetryOptions } from '@realtimekit-webhooks/types';
import { type ClientTelemetry, TELEMETRY_SLOT } from './observe.js';

const METRICS = {
  'http.client.request.duration': {
    kind: 'histogram',
    unit: 's',
    description: 'Duration of HTTP client requests.',
  },
} as const satisfies Record<string, MetricSpec>;

/**
 * Spans and metrics through `options`' providers, else the ones registered with OpenTelemetry's
 * API at each call (none registered: nothing is reported).
 */
export function openTelemetry(options?: TelemetryOptions): ClientTelemetry {
  const reporter = reporterFor('@realtimekit-webhooks/client', METRICS, options);
  return {
    operation(name) {
      const report = reporter();
      if (!report) return undefined;
      const span = report.startSpan(name, SPAN_KIND.INTERNAL, { 'realtimekit.operation': name });
      return {
        attempt(info) {
          const url = new URL(info.url);
          const attributes: TelemetryAttributes = {
            'http.request.method': info.method,
            'server.address': url.hostname,
            'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
            'url.full': info.url,
          };
          if (info.attempt > 0) attributes['http.request.resend_count'] = info.attempt;
          const attempt = report.startSpan(info.method, SPAN_KIND.CLIENT, attributes, span);
          return {
            end(result) {
              // HTTP's conventions: the status code is the error type of an error answer.
              const errorType =
                result.status !== undefined && result.status >= 400
                  ? String(result.status)
                  : result.errorType;
              if (result.status !== undefined)
                attempt?.setAttribute('http.response.status_code', result.status);
              if (errorType !== undefined) {
                attempt?.setAttribute('error.type', errorType);
                attempt?.setStatus({ code: SPAN_STATUS_ERROR, message: errorType });
              }
              attempt?.end();
              report.record('http.client.request.duration', result.durationMs / 1000, {
                'http.request.method': info.method,
                'http.response.status_code': result.status,
                'server.address': attributes['server.address'],
                'error.type': errorType,
                'realtimekit.operation': info.operation,
              });
            },
          };
        },
        run: (fn) => report.withSpan(span, fn),
        end(errorType) {
          if (errorType !== undefined) {
            span?.setAttribute('error.type', errorType);
            span?.setStatus({ code: SPAN_STATUS_ERROR, message: errorType });
          }
          span?.end();
        },
      };
    },
  };
}

// Importing this entry turns OpenTelemetry on for every client of the process (or isolate).
(globalThis as { [TELEMETRY_SLOT]?: ClientTelemetry })[TELEMETRY_SLOT] ??= openTelemetry();
