/**
 * The typed openapi-fetch client for `@realtimekit-webhooks/client/raw`: every operation of the
 * spec by path, for what `rtk.webhooks` does not cover. A separate entry so that apps which never
 * use it do not bundle openapi-fetch.
 *
 * @packageDocumentation
 */
import type { paths } from '@realtimekit-webhooks/types';
import createClient, { type Client } from 'openapi-fetch';
import { connect, type RealtimeKitClientOptions } from './config.js';
import { guardedFetch } from './guarded-fetch.js';
import { authorizationOf } from './request.js';

/**
 * An openapi-fetch client of the spec's `paths`, with auth and base URL set, sending through the
 * same guard as the client (HTTPS rule, no redirects, size cap). It returns what the server
 * answered as it is: no validation, retries or token scrubbing. Options and their checks are
 * those of `createRealtimeKitClient`.
 */
export function createRawClient(options: RealtimeKitClientOptions = {}): Client<paths> {
  const connection = connect(options);
  return createClient<paths>({
    baseUrl: connection.baseUrl,
    headers: { Authorization: authorizationOf(connection) },
    fetch: guardedFetch(connection.fetch, connection.maxResponseBytes),
    // Also the guard's rule; set here too so openapi-fetch's own default ("follow") never applies.
    redirect: 'manual',
  });
}
