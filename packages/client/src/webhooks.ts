import type { paths, Webhook, WebhookRequest } from '@realtimekit-webhooks/types';
import type { Client } from 'openapi-fetch';
import { unwrapWebhook } from './envelope.js';
import { send } from './request.js';

/** Per-call options of every webhooks method. */
export interface RequestOptions {
  /** Aborts the call; it then rejects with `UserAbortError`. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's account id for this call. */
  accountId?: string | undefined;
  /** Overrides the client's app id for this call. */
  appId?: string | undefined;
}

/** The webhooks of one RealtimeKit app. */
export interface WebhooksResource {
  /** Adds a webhook (POST `/webhooks`) and resolves to it as the API stored it. */
  create(body: WebhookRequest, options?: RequestOptions): Promise<Webhook>;
}

/** What the resource needs from the client: the typed openapi-fetch client and default ids. */
export interface ResourceContext {
  raw: Client<paths>;
  accountId: string;
  appId: string;
}

const COLLECTION = '/accounts/{account_id}/realtime/kit/{app_id}/webhooks';

export function createWebhooksResource(ctx: ResourceContext): WebhooksResource {
  const appPath = (options: RequestOptions | undefined) => ({
    account_id: options?.accountId ?? ctx.accountId,
    app_id: options?.appId ?? ctx.appId,
  });

  return {
    async create(body, options) {
      const signal = options?.signal;
      const parsed = await send(
        () =>
          ctx.raw.POST(COLLECTION, {
            params: { path: appPath(options) },
            body,
            parseAs: 'text',
            signal: signal ?? null,
          }),
        signal,
      );
      return unwrapWebhook(parsed);
    },
  };
}
