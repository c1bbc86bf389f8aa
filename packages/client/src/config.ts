import { API_BASE_URL } from '@realtimekit-webhooks/types';
import { readEnv } from './env.js';
import { ValidationError, type ValidationIssue } from './errors.js';
import { limitIssues, pathIssues } from './input-checks.js';
import { type Backoff, DEFAULT_MAX_RETRIES } from './retry.js';

/** A `fetch` the client can be given instead of the global one (tests, proxies, instrumentation). */
export type FetchLike = (input: Request) => Promise<Response>;

/** Options of `createRealtimeKitClient`. Every id falls back to an environment variable. */
export interface RealtimeKitClientOptions {
  /** API token with the "Realtime Admin" or "Realtime" permission. Default: `CLOUDFLARE_API_TOKEN`. */
  apiToken?: string | undefined;
  /** Cloudflare account id. Default: `CLOUDFLARE_ACCOUNT_ID`. */
  accountId?: string | undefined;
  /** RealtimeKit app id. Default: `REALTIMEKIT_APP_ID`. */
  appId?: string | undefined;
  /** Where the API is. Default: the spec's server. Must be HTTPS unless the host is loopback. */
  baseUrl?: string | undefined;
  /** The `fetch` to send requests with. Default: `globalThis.fetch`. */
  fetch?: FetchLike | undefined;
  /** Time limit of each attempt, in milliseconds. Default: 60 000. */
  timeoutMs?: number | undefined;
  /** How many times a failed call may be repeated (see README "Retries"). Default: 2. */
  maxRetries?: number | undefined;
  /** Waits between retries. Default: from 500 ms, doubling, at most 8 s, with jitter. */
  backoff?: Backoff | undefined;
}

/** The client's settings once options and environment are resolved and checked. */
export interface ResolvedConfig {
  apiToken: string;
  accountId: string;
  appId: string;
  baseUrl: string;
  fetch: FetchLike | undefined;
  timeoutMs: number;
  maxRetries: number;
  backoff: Backoff;
}

/** Default time limit of one attempt: as long as the official SDK's, so slow calls still finish. */
export const DEFAULT_TIMEOUT_MS = 60_000;

const SOURCES = {
  apiToken: 'CLOUDFLARE_API_TOKEN',
  accountId: 'CLOUDFLARE_ACCOUNT_ID',
  appId: 'REALTIMEKIT_APP_ID',
} as const;

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Why `baseUrl` cannot be used, or undefined when it can. */
function checkBaseUrl(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'must be an absolute URL such as https://api.cloudflare.com/client/v4';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  return 'must use https:// (plain http:// is allowed only for localhost / 127.0.0.1 / [::1], e.g. a mock)';
}

/** Merges options with the environment; throws ValidationError naming each missing or bad setting. */
export function resolveConfig(options: RealtimeKitClientOptions): ResolvedConfig {
  const issues: ValidationIssue[] = [];
  const pick = (key: keyof typeof SOURCES): string => {
    const value = options[key] ?? readEnv(SOURCES[key]);
    if (value === undefined || value === '') {
      issues.push({ path: key, message: `is missing: pass \`${key}\` or set ${SOURCES[key]}` });
      return '';
    }
    return value;
  };
  const apiToken = pick('apiToken');
  const accountId = pick('accountId');
  const appId = pick('appId');
  const baseUrl = (options.baseUrl ?? API_BASE_URL).replace(/\/+$/, '');
  const baseUrlProblem = checkBaseUrl(baseUrl);
  if (baseUrlProblem) issues.push({ path: 'baseUrl', message: baseUrlProblem });
  if (accountId !== '' && appId !== '') issues.push(...pathIssues({ accountId, appId }));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  issues.push(...limitIssues({ timeoutMs, maxRetries }));
  if (issues.length > 0) throw new ValidationError(issues, 'Cannot create the RealtimeKit client');
  const backoff = options.backoff ?? {};
  return {
    apiToken,
    accountId,
    appId,
    baseUrl,
    fetch: options.fetch,
    timeoutMs,
    maxRetries,
    backoff,
  };
}
