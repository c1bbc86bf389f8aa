import type { paths } from '@realtimekit-webhooks/types';
import createClient, { type Client } from 'openapi-fetch';
import { type RealtimeKitClientOptions, resolveConfig } from './config.js';
import { guardedFetch } from './guarded-fetch.js';
import { scrubberFor } from './scrub.js';
import { createWebhooksResource, type WebhooksResource } from './webhooks.js';

/** A client of the RealtimeKit webhooks API for one account and app. */
export interface RealtimeKitClient {
  /** Create, read, change and delete webhooks. */
  readonly webhooks: WebhooksResource;
  /**
   * The typed openapi-fetch client (auth and base URL set), for anything `webhooks` does not cover.
   * It sends through the same guard (HTTPS rule, no redirects, size cap) but returns what the
   * server answered as it is: no validation, retries or token scrubbing.
   */
  readonly raw: Client<paths>;
}

/**
 * Creates a client. Throws `ValidationError` at once when the token, account id or app id is
 * missing (from both the options and the environment) or `baseUrl` is not HTTPS.
 */
export function createRealtimeKitClient(options: RealtimeKitClientOptions = {}): RealtimeKitClient {
  const config = resolveConfig(options);
  // The token lives only in closures (openapi-fetch's headers, the resource's scrubber): no
  // property of the client or of its errors holds it, so logging either cannot leak it.
  const fetch = guardedFetch(config.fetch, config.maxResponseBytes);
  const raw = createClient<paths>({
    baseUrl: config.baseUrl,
    headers: { Authorization: `Bearer ${config.apiToken}` },
    fetch,
    // Also the guard's rule; set here too so openapi-fetch's own default ("follow") never applies.
    redirect: 'manual',
  });
  return {
    webhooks: createWebhooksResource({
      raw,
      accountId: config.accountId,
      appId: config.appId,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      backoff: config.backoff,
      fetch,
      scrub: scrubberFor(config.apiToken),
    }),
    raw,
  };
}
