import { API_BASE_URL, getAllWebhooksInput } from '@realtimekit-webhooks/rules';
import type { FetchLike } from '@realtimekit-webhooks/types';
import { type Backoff, DEFAULT_MAX_RETRIES } from './backoff.js';
import { describeType, parseBaseUrl } from './base-url.js';
import { WHITESPACE_OR_CONTROL } from './characters.js';
import { readEnv } from './env.js';
import { ValidationError, type ValidationIssue } from './errors.js';
import { limitIssues, pathIssues } from './input-checks.js';
import type { AttemptInfo, AttemptResult, ClientTelemetry } from './observe.js';
import { authorize, type Connection } from './request.js';
import { scrubberFor } from './scrub.js';

export type { FetchLike };

/** Default cap on the bytes read from one response. The API's largest answers are a few kB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** Options of `createRealtimeKitClient`. Every id falls back to an environment variable. */
export interface RealtimeKitClientOptions {
  /** API token with the "Realtime Admin" or "Realtime" permission. Default: `CLOUDFLARE_API_TOKEN`. */
  apiToken?: string | undefined;
  /** Cloudflare account id. Default: `CLOUDFLARE_ACCOUNT_ID`. */
  accountId?: string | undefined;
  /** RealtimeKit app id. Default: `REALTIMEKIT_APP_ID`. */
  appId?: string | undefined;
  /** Where the API is. Default: the spec's server. Must be HTTPS unless the host is loopback. */
  baseUrl?: string | URL | undefined;
  /** The `fetch` to send requests with. Default: `globalThis.fetch`. */
  fetch?: FetchLike | undefined;
  /** Time limit of each attempt, in milliseconds. Default: 60 000. */
  timeoutMs?: number | undefined;
  /** How many times a failed call may be repeated (see README "Retries"). Default: 2. */
  maxRetries?: number | undefined;
  /** Waits between retries. Default: from 500 ms, doubling, at most 8 s, with jitter. */
  backoff?: Backoff | undefined;
  /** The most bytes read from one response before it fails with ResponseTooLargeError. Default: 16 MiB. */
  maxResponseBytes?: number | undefined;
  /**
   * Where a token or id that is not passed is read from. Default: `process.env` where the runtime
   * has one. In a Worker, pass its `env`; `{}` reads nothing.
   */
  env?: Readonly<Record<string, string | undefined>> | undefined;

  // Seeing what happens (observe.ts).
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

/** Default time limit of one attempt: as long as the official SDK's, so slow calls still finish. */
export const DEFAULT_TIMEOUT_MS = 60_000;

const SOURCES = {
  apiToken: 'CLOUDFLARE_API_TOKEN',
  accountId: 'CLOUDFLARE_ACCOUNT_ID',
  appId: 'REALTIMEKIT_APP_ID',
} as const;

/**
 * The token as it will be sent (surrounding whitespace dropped, as fetch would drop it), or the
 * problem with it. The problem never quotes the token: this message may end up in a log.
 */
function checkToken(raw: string, source: string): { token: string } | { problem: string } {
  const token = raw.trim();
  if (token === '') return { problem: `${source} is only whitespace: set it to the API token` };
  const bad = WHITESPACE_OR_CONTROL.exec(token);
  if (bad) {
    return {
      problem: `${source} contains a space, line break or control character at position ${bad.index + 1}: the token was probably copied with extra text or a line break (a Windows .env file, a wrapped line); set it to the token alone`,
    };
  }
  return { token };
}

function backoffIssues(backoff: unknown): ValidationIssue[] {
  if (backoff === undefined) return [];
  if (typeof backoff !== 'object' || backoff === null) {
    return [{ path: 'backoff', message: `must be an object, not ${describeType(backoff)}` }];
  }
  const issues: ValidationIssue[] = [];
  for (const key of ['initialMs', 'maxMs'] as const) {
    const value = (backoff as Record<string, unknown>)[key];
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= 2 ** 31 - 1))
      issues.push({
        path: `backoff.${key}`,
        message: 'must be a number of milliseconds, 0 or more',
      });
  }
  return issues;
}

/**
 * Merges options with the environment into what every request needs; throws ValidationError
 * naming each missing or bad setting. The token ends up only in the connection's `authorization`
 * and in its scrubber: no property of a client or of its errors holds it.
 */
export function connect(options: RealtimeKitClientOptions = {}): Connection {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(
      [{ path: 'options', message: `must be an object, not ${describeType(options)}` }],
      'Cannot create the RealtimeKit client',
    );
  }
  const issues: ValidationIssue[] = [];
  const { env } = options;
  if (env !== undefined && (typeof env !== 'object' || env === null)) {
    issues.push({
      path: 'env',
      message: `must be an object of variables, not ${describeType(env)}`,
    });
  }
  const fromEnv = (name: string): unknown => {
    if (env === undefined) return readEnv(name);
    return typeof env === 'object' && env !== null ? env[name] : undefined;
  };
  const pick = (key: keyof typeof SOURCES): string => {
    const given = options[key];
    const value: unknown = given === undefined ? fromEnv(SOURCES[key]) : given;
    if (value === undefined || value === '') {
      issues.push({ path: key, message: `is missing: pass \`${key}\` or set ${SOURCES[key]}` });
      return '';
    }
    if (typeof value !== 'string') {
      issues.push({ path: key, message: `must be a string, not ${describeType(value)}` });
      return '';
    }
    return value;
  };
  let apiToken = pick('apiToken');
  if (apiToken !== '') {
    const source = options.apiToken === undefined ? SOURCES.apiToken : 'the `apiToken` option';
    const checked = checkToken(apiToken, source);
    if ('problem' in checked) issues.push({ path: 'apiToken', message: checked.problem });
    else apiToken = checked.token;
  }
  const accountId = pick('accountId');
  const appId = pick('appId');
  const base = parseBaseUrl(options.baseUrl ?? API_BASE_URL);
  if ('problem' in base) issues.push({ path: 'baseUrl', message: base.problem });
  if (accountId !== '' && appId !== '')
    issues.push(...pathIssues(getAllWebhooksInput, { accountId, appId }));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  issues.push(...limitIssues({ timeoutMs, maxRetries }), ...backoffIssues(options.backoff));
  if (!(Number.isInteger(maxResponseBytes) && maxResponseBytes > 0)) {
    issues.push({
      path: 'maxResponseBytes',
      message: 'must be a whole number of bytes, 1 or more',
    });
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    issues.push({
      path: 'fetch',
      message: `must be a function, not ${describeType(options.fetch)}`,
    });
  }
  if (issues.length > 0 || 'problem' in base) {
    throw new ValidationError(issues, 'Cannot create the RealtimeKit client');
  }
  const { fetch } = options;
  const connection: Connection = {
    baseUrl: base.url,
    accountId,
    appId,
    // The global fetch is looked up per call, so a test double installed later is used.
    fetch: fetch ?? ((request) => globalThis.fetch(request)),
    timeoutMs,
    maxRetries,
    backoff: options.backoff ?? {},
    maxResponseBytes,
    scrub: scrubberFor(apiToken),
    observability: Object.freeze({
      onRequest: options.onRequest,
      onResponse: options.onResponse,
      telemetry: options.telemetry,
    }),
  };
  return authorize(Object.freeze(connection), apiToken);
}
