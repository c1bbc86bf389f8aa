import type {
  PatchWebhookRequest,
  paths,
  Webhook,
  WebhookEvent,
  WebhookRequest,
} from '@realtimekit-webhooks/types';
import type { Client } from 'openapi-fetch';
import { type EnsureResult, ensureWebhook } from './ensure.js';
import { unwrapEventList, unwrapWebhook, unwrapWebhookList } from './envelope.js';
import type { FetchLike } from './guarded-fetch.js';
import { assertValidInput } from './input-checks.js';
import { type Attempt, type ParsedResponse, type RawResult, sendOnce } from './request.js';
import { type Backoff, type RetrySettings, withRetries } from './retry.js';
import { createWithoutDuplicates } from './safe-create.js';
import { type Scrubber, scrubError } from './scrub.js';

/** The fields of a webhook to change with `update`; those left out keep their value. */
export type WebhookPatch = PatchWebhookRequest;

/** Per-call options of every webhooks method. */
export interface RequestOptions {
  /** Aborts the call; it then rejects with `UserAbortError`. */
  signal?: AbortSignal | undefined;
  /** Time limit of each attempt, in milliseconds. Default: the client's (60 000). */
  timeoutMs?: number | undefined;
  /** How many times a failed call may be repeated. Default: the client's (2). */
  maxRetries?: number | undefined;
  /** Overrides the client's account id for this call. */
  accountId?: string | undefined;
  /** Overrides the client's app id for this call. */
  appId?: string | undefined;
}

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

/** Options of `ensure`. */
export interface EnsureOptions extends RequestOptions {
  /** Delete the other webhooks that share the name (the oldest is kept). Default: false. */
  pruneDuplicates?: boolean | undefined;
}

/** What the resource needs from the client: the typed openapi-fetch client and defaults. */
export interface ResourceContext {
  raw: Client<paths>;
  accountId: string;
  appId: string;
  timeoutMs: number;
  maxRetries: number;
  backoff: Backoff;
  /** The guarded fetch (URL rule, no redirects, size cap) every call is sent with. */
  fetch: FetchLike;
  /** Removes the API token from anything an error carries. */
  scrub: Scrubber;
}

const COLLECTION = '/accounts/{account_id}/realtime/kit/{app_id}/webhooks';
const ITEM = '/accounts/{account_id}/realtime/kit/{app_id}/webhooks/{webhook_id}';
const EVENTS = '/accounts/{account_id}/realtime/kit/{app_id}/webhooks/all';

/** A JSON body serialised once: what was validated (`sent`) and the exact text that is sent. */
interface Serialised {
  json: string;
  sent: unknown;
}

export function createWebhooksResource(ctx: ResourceContext): WebhooksResource {
  // The client's own settings were checked when it was created; a call checks only what it brings.
  const callInput = (options: RequestOptions | undefined, ...id: [webhookId: unknown] | []) => ({
    options,
    pruneDuplicates: (options as EnsureOptions | undefined)?.pruneDuplicates,
    signal: options?.signal,
    accountId: options?.accountId,
    appId: options?.appId,
    ...(id.length > 0 ? { webhookId: id[0] } : {}),
    timeoutMs: options?.timeoutMs,
    maxRetries: options?.maxRetries,
  });
  const appPath = (options: RequestOptions | undefined) => ({
    account_id: options?.accountId ?? ctx.accountId,
    app_id: options?.appId ?? ctx.appId,
  });
  const itemPath = (webhookId: string, options: RequestOptions | undefined) => ({
    ...appPath(options),
    webhook_id: webhookId,
  });
  // The serialised text is sent as it is, so the bytes that leave are the bytes that were checked.
  const bodyOf = (serialised: Serialised) => ({
    body: serialised.sent as never,
    bodySerializer: () => serialised.json,
  });
  const settingsOf = (options: RequestOptions | undefined): RetrySettings => ({
    maxRetries: options?.maxRetries ?? ctx.maxRetries,
    backoff: ctx.backoff,
    signal: options?.signal,
  });
  const once = (attempt: Attempt, options: RequestOptions | undefined): Promise<ParsedResponse> =>
    sendOnce(attempt, ctx.fetch, options?.timeoutMs ?? ctx.timeoutMs, options?.signal);
  // GET, PUT, PATCH and DELETE by id can be repeated without changing the outcome.
  const run = (attempt: Attempt, options: RequestOptions | undefined): Promise<ParsedResponse> =>
    withRetries(() => once(attempt, options), settingsOf(options));
  // Whatever a call throws leaves through here, without the token.
  const guard = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw scrubError(error, ctx.scrub);
    }
  };
  const listUnchecked = async (options: RequestOptions | undefined) => {
    const path = appPath(options);
    return unwrapWebhookList(
      await run(
        (signal, fetch) =>
          ctx.raw.GET(COLLECTION, { params: { path }, parseAs: 'text', signal, fetch }),
        options,
      ),
    );
  };
  const createUnchecked = (serialised: Serialised, options: RequestOptions | undefined) => {
    const path = appPath(options);
    const post = async () =>
      unwrapWebhook(
        await once(
          (signal, fetch) =>
            ctx.raw.POST(COLLECTION, {
              params: { path },
              ...bodyOf(serialised),
              parseAs: 'text',
              signal,
              fetch,
            }),
          options,
        ),
      );
    return createWithoutDuplicates(
      serialised.sent as WebhookRequest,
      { post, list: () => listUnchecked(options) },
      settingsOf(options),
    );
  };

  // get, replace, update and delete: check the input, then one retried call on the item path.
  const onItem = (
    method: string,
    webhookId: string,
    options: RequestOptions | undefined,
    send: (
      path: ReturnType<typeof itemPath>,
      request: { signal: AbortSignal; fetch: FetchLike },
      body: ReturnType<typeof bodyOf>,
    ) => Promise<RawResult>,
    body?: Parameters<typeof assertValidInput>[2],
  ): Promise<Webhook> =>
    guard(async () => {
      const serialised = assertValidInput(method, callInput(options, webhookId), body);
      const path = itemPath(webhookId, options);
      // get and delete send no body and ignore this argument.
      const sendBody = serialised ? bodyOf(serialised) : ({} as ReturnType<typeof bodyOf>);
      return unwrapWebhook(
        await run((signal, fetch) => send(path, { signal, fetch }, sendBody), options),
      );
    });

  const resource: WebhooksResource = {
    create: (body, options) =>
      guard(async () => {
        const serialised = assertValidInput('create', callInput(options), {
          operationId: 'addWebhook',
          value: body,
        }) as Serialised;
        return createUnchecked(serialised, options);
      }),

    list: (options) =>
      guard(async () => {
        assertValidInput('list', callInput(options));
        return listUnchecked(options);
      }),

    get: (webhookId, options) =>
      onItem('get', webhookId, options, (path, request) =>
        ctx.raw.GET(ITEM, { params: { path }, parseAs: 'text', ...request }),
      ),

    replace: (webhookId, body, options) =>
      onItem(
        'replace',
        webhookId,
        options,
        (path, request, sendBody) =>
          ctx.raw.PUT(ITEM, { params: { path }, ...sendBody, parseAs: 'text', ...request }),
        { operationId: 'replaceWebhook', value: body },
      ),

    update: (webhookId, patch, options) =>
      onItem(
        'update',
        webhookId,
        options,
        (path, request, sendBody) =>
          ctx.raw.PATCH(ITEM, { params: { path }, ...sendBody, parseAs: 'text', ...request }),
        { operationId: 'editWebhook', value: patch },
      ),

    delete: (webhookId, options) =>
      onItem('delete', webhookId, options, (path, request) =>
        ctx.raw.DELETE(ITEM, { params: { path }, parseAs: 'text', ...request }),
      ),

    listEvents: (options) =>
      guard(async () => {
        assertValidInput('listEvents', callInput(options));
        const path = appPath(options);
        return unwrapEventList(
          await run(
            (signal, fetch) =>
              ctx.raw.GET(EVENTS, { params: { path }, parseAs: 'text', signal, fetch }),
            options,
          ),
        );
      }),

    ensure: (desired, options) =>
      guard(async () => {
        const serialised = assertValidInput('ensure', callInput(options), {
          operationId: 'addWebhook',
          value: desired,
        }) as Serialised;
        return ensureWebhook(
          serialised.sent as WebhookRequest,
          {
            list: () => listUnchecked(options),
            create: () => createUnchecked(serialised, options),
            replace: (id, body) => resource.replace(id, body, options),
            remove: (id) => resource.delete(id, options),
          },
          options?.pruneDuplicates === true,
        );
      }),
  };
  return resource;
}
