import type { Webhook, WebhookEvent, WebhookRequest } from '@realtimekit-webhooks/types';
import { connect, type RealtimeKitClientOptions } from './config.js';
import type { EnsureResult } from './ensure.js';
import {
  createWebhook,
  deleteWebhook,
  ensureWebhook,
  getWebhook,
  listWebhookEvents,
  listWebhooks,
  replaceWebhook,
  updateWebhook,
} from './operations.js';
import type { EnsureOptions, RequestOptions, WebhookPatch } from './options.js';

/** The webhooks of one RealtimeKit app. */
export interface WebhooksResource {
  /** Adds a webhook (POST `/webhooks`) and resolves to it as the API stored it. */
  create(body: WebhookRequest, options?: RequestOptions): Promise<Webhook>;
  /** Every webhook of the app (GET `/webhooks`). */
  list(options?: RequestOptions): Promise<Webhook[]>;
  /** One webhook by id (GET `/webhooks/{webhook_id}`). */
  get(webhookId: string, options?: RequestOptions): Promise<Webhook>;
  /** Replaces every field of a webhook (PUT `/webhooks/{webhook_id}`). */
  replace(webhookId: string, body: WebhookRequest, options?: RequestOptions): Promise<Webhook>;
  /** Changes only the given fields of a webhook (PATCH `/webhooks/{webhook_id}`). */
  update(webhookId: string, patch: WebhookPatch, options?: RequestOptions): Promise<Webhook>;
  /** Deletes a webhook (DELETE `/webhooks/{webhook_id}`) and resolves to it as it was. */
  delete(webhookId: string, options?: RequestOptions): Promise<Webhook>;
  /** Every event name a webhook can subscribe to (GET `/webhooks/all`). */
  listEvents(options?: RequestOptions): Promise<WebhookEvent[]>;
  /**
   * Makes sure exactly one webhook named `desired.name` exists and looks like `desired`: creates
   * it, replaces it, or sends nothing. Safe to call from many replicas at once.
   */
  ensure(desired: WebhookRequest, options?: EnsureOptions): Promise<EnsureResult>;
}

/** A client of the RealtimeKit webhooks API for one account and app. */
export interface RealtimeKitClient {
  /** Create, read, change and delete webhooks. */
  readonly webhooks: WebhooksResource;
}

/**
 * Creates a client. Throws `ValidationError` at once when the token, account id or app id is
 * missing (from both the options and the environment) or `baseUrl` is not HTTPS.
 */
export function createRealtimeKitClient(options: RealtimeKitClientOptions = {}): RealtimeKitClient {
  const connection = connect(options);
  const webhooks: WebhooksResource = {
    create: (body, callOptions) => createWebhook(connection, body, callOptions),
    list: (callOptions) => listWebhooks(connection, callOptions),
    get: (id, callOptions) => getWebhook(connection, id, callOptions),
    replace: (id, body, callOptions) => replaceWebhook(connection, id, body, callOptions),
    update: (id, patch, callOptions) => updateWebhook(connection, id, patch, callOptions),
    delete: (id, callOptions) => deleteWebhook(connection, id, callOptions),
    listEvents: (callOptions) => listWebhookEvents(connection, callOptions),
    ensure: (desired, callOptions) => ensureWebhook(connection, desired, callOptions),
  };
  return { webhooks: Object.freeze(webhooks) };
}
