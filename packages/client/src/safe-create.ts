// A create that is never sent twice blindly. The API has no idempotency key, so when a POST's
// outcome is unknown (timeout, reset, 5xx) the client looks before it sends again.

import { isRedirectStatus } from '@realtimekit-webhooks/rules';
import type { Webhook, WebhookRequest } from '@realtimekit-webhooks/types';
import { retryDelayMs, sleep } from './backoff.js';
import { causeText } from './cause-text.js';
import { unwrapWebhook, unwrapWebhookList } from './envelope.js';
import {
  APIError,
  ConnectionError,
  OutcomeUnknownError,
  RateLimitError,
  RequestNotSentError,
} from './errors.js';
import type { OperationWatch } from './observe.js';
import type { CallSettings, Connection, Outgoing } from './request.js';
import { request, sendOnce, watched } from './request.js';
import { byAge, matchesRequest } from './webhook-match.js';

/** The API certainly did not act on the request: nothing reached it, or it refused to look (429). */
function certainlyNotProcessed(error: unknown): boolean {
  return (error instanceof ConnectionError && !error.sent) || error instanceof RateLimitError;
}

/**
 * The API may have created the webhook before the failure: the connection broke after sending,
 * or something answered 408, 5xx or a redirect (a proxy may redirect after forwarding the POST).
 */
function outcomeUnknown(error: unknown): boolean {
  if (error instanceof ConnectionError) return true; // sent: reset, timeout
  return (
    error instanceof APIError &&
    (error.status === 408 || error.status >= 500 || isRedirectStatus(error.status))
  );
}

/**
 * POSTs `post` (whose body is `desired`). Retries at once where the API certainly did not act;
 * where it may have, waits, lists the collection the POST went to (a GET of the same path, with
 * the usual retries of a read), and returns the matching webhook if there is one,
 * POSTing again only if there is none. When the list itself fails, throws OutcomeUnknownError
 * instead of guessing.
 */
export function createWithoutDuplicates(
  connection: Connection,
  post: Outgoing,
  desired: WebhookRequest,
  settings: CallSettings | undefined,
): Promise<Webhook> {
  return watched(connection, post.operation, (watch) =>
    creating(connection, post, desired, settings, watch),
  );
}

async function creating(
  connection: Connection,
  post: Outgoing,
  desired: WebhookRequest,
  settings: CallSettings | undefined,
  watch: OperationWatch | undefined,
): Promise<Webhook> {
  const maxRetries = settings?.maxRetries ?? connection.maxRetries;
  const signal = settings?.signal;
  for (let retry = 0; ; retry += 1) {
    try {
      return unwrapWebhook(await sendOnce(connection, post, settings, retry, watch));
    } catch (error) {
      // Refused before it left: repeating would be refused the same way.
      if (error instanceof RequestNotSentError) throw error;
      const blind = certainlyNotProcessed(error);
      if (!blind && !outcomeUnknown(error)) throw error;
      const delay = retryDelayMs(retry, error, connection.backoff);
      if (blind) {
        if (retry >= maxRetries || delay === undefined) throw error;
        await sleep(delay, signal);
        continue;
      }
      // Give the API a moment to finish what it may be doing, then look.
      await sleep(delay ?? 0, signal);
      let existing: Webhook | undefined;
      try {
        // Its own operation, nested under the create's and named for what it is.
        const check: Outgoing = {
          operation: 'getAllWebhooks (duplicate check)',
          method: 'GET',
          path: post.path,
        };
        const listed = await request(connection, check, settings);
        existing = unwrapWebhookList(listed)
          .filter((w) => matchesRequest(w, desired))
          .sort(byAge)
          .at(-1);
      } catch (listError) {
        throw new OutcomeUnknownError(
          `The create may or may not have succeeded (${causeText(error)}), and listing webhooks to find out failed (${causeText(listError)}). List them before creating again.`,
          { cause: error },
        );
      }
      if (existing) return existing;
      // Known now: it was not created. Send again if the budget allows, else report the failure.
      if (retry >= maxRetries) throw error;
    }
  }
}
