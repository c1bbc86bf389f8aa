/**
 * The webhooks operations as standalone functions over a connection
 * (`createRealtimeKitConnection(options)`), for a bundle that carries only the operations (and
 * input checks) an app calls: `createWebhook(connection, body)`, `listWebhooks`, `getWebhook`,
 * `replaceWebhook`, `updateWebhook`, `deleteWebhook`, `listWebhookEvents`, `ensureWebhook`. Same
 * options, checks, errors and retries as `rtk.webhooks`, which is built from them. Each checks
 * its input against its operation's own schemas, sends it on the request path and unwraps the
 * answer; an error has the token scrubbed from it where it is built, never on success.
 *
 * @packageDocumentation
 */

import {
  addWebhookInput,
  deleteWebhookInput,
  editWebhookInput,
  getAllWebhookEventsInput,
  getAllWebhooksInput,
  getWebhookInput,
  replaceWebhookInput,
} from '@realtimekit-webhooks/rules';
import type { Webhook, WebhookEvent, WebhookRequest } from '@realtimekit-webhooks/types';
import { ensureWebhook as converge, type EnsureResult } from './ensure.js';
import { unwrapEventList, unwrapWebhook, unwrapWebhookList } from './envelope.js';
import { ValidationError } from './errors.js';
import { assertValidInput, pathIssues } from './input-checks.js';
import type { EnsureOptions, RequestOptions, WebhookPatch } from './options.js';
import { type Connection, type Outgoing, request } from './request.js';
import { createWithoutDuplicates } from './safe-create.js';
import { scrubError } from './scrub.js';

/**
 * Runs one operation; what it throws is rethrown with the connection's secrets scrubbed, where the
 * error is built (a success pays nothing).
 */
async function scrubbed<T>(connection: Connection, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw scrubError(error, connection.scrub);
  }
}

/** `/accounts/{account_id}/realtime/kit/{app_id}/webhooks` for the call's account and app. */
function collection(connection: Connection, options: RequestOptions | undefined): string {
  const account = encodeURIComponent(options?.accountId ?? connection.accountId);
  const app = encodeURIComponent(options?.appId ?? connection.appId);
  return `/accounts/${account}/realtime/kit/${app}/webhooks`;
}

/** The operationId of each method on one webhook. */
const BY_ID_OPERATIONS: Record<Outgoing['method'], string> = {
  GET: 'getWebhook',
  PUT: 'replaceWebhook',
  PATCH: 'editWebhook',
  DELETE: 'deleteWebhook',
  POST: 'addWebhook',
};

/** One webhook by id: GET, PUT, PATCH and DELETE can be repeated without changing the outcome. */
async function onWebhook(
  connection: Connection,
  method: Outgoing['method'],
  webhookId: string,
  json: string | undefined,
  options: RequestOptions | undefined,
): Promise<Webhook> {
  const path = `${collection(connection, options)}/${encodeURIComponent(webhookId)}`;
  const operation = BY_ID_OPERATIONS[method];
  return unwrapWebhook(await request(connection, { operation, method, path, json }, options));
}

async function listUnchecked(connection: Connection, options: RequestOptions | undefined) {
  const path = collection(connection, options);
  const list: Outgoing = { operation: 'getAllWebhooks', method: 'GET', path };
  return unwrapWebhookList(await request(connection, list, options));
}

function createUnchecked(
  connection: Connection,
  serialised: { json: string; sent: WebhookRequest },
  options: RequestOptions | undefined,
): Promise<Webhook> {
  const post: Outgoing = {
    operation: 'addWebhook',
    method: 'POST',
    path: collection(connection, options),
    json: serialised.json,
  };
  return createWithoutDuplicates(connection, post, serialised.sent, options);
}

/**
 * Adds a webhook (POST `/webhooks`) and resolves to it as the API stored it. A POST whose outcome
 * is unknown is never sent again blindly: the webhooks are listed first (see README "Retries").
 */
export function createWebhook(
  connection: Connection,
  body: WebhookRequest,
  options?: RequestOptions,
): Promise<Webhook> {
  return scrubbed(connection, async () => {
    const serialised = assertValidInput('create', addWebhookInput, options, undefined, {
      value: body,
    });
    return createUnchecked(connection, serialised, options);
  });
}

/** Every webhook of the app (GET `/webhooks`). */
export function listWebhooks(connection: Connection, options?: RequestOptions): Promise<Webhook[]> {
  return scrubbed(connection, async () => {
    assertValidInput('list', getAllWebhooksInput, options);
    return listUnchecked(connection, options);
  });
}

/** One webhook by id (GET `/webhooks/{webhook_id}`). */
export function getWebhook(
  connection: Connection,
  webhookId: string,
  options?: RequestOptions,
): Promise<Webhook> {
  return scrubbed(connection, async () => {
    assertValidInput('get', getWebhookInput, options, webhookId);
    return onWebhook(connection, 'GET', webhookId, undefined, options);
  });
}

/** Replaces every field of a webhook (PUT `/webhooks/{webhook_id}`). */
export function replaceWebhook(
  connection: Connection,
  webhookId: string,
  body: WebhookRequest,
  options?: RequestOptions,
): Promise<Webhook> {
  return scrubbed(connection, async () => {
    const serialised = assertValidInput('replace', replaceWebhookInput, options, webhookId, {
      value: body,
    });
    return onWebhook(connection, 'PUT', webhookId, serialised.json, options);
  });
}

/** Changes only the given fields of a webhook (PATCH `/webhooks/{webhook_id}`). */
export function updateWebhook(
  connection: Connection,
  webhookId: string,
  patch: WebhookPatch,
  options?: RequestOptions,
): Promise<Webhook> {
  return scrubbed(connection, async () => {
    const serialised = assertValidInput('update', editWebhookInput, options, webhookId, {
      value: patch,
    });
    return onWebhook(connection, 'PATCH', webhookId, serialised.json, options);
  });
}

/** Deletes a webhook (DELETE `/webhooks/{webhook_id}`) and resolves to it as it was. */
export function deleteWebhook(
  connection: Connection,
  webhookId: string,
  options?: RequestOptions,
): Promise<Webhook> {
  return scrubbed(connection, async () => {
    assertValidInput('delete', deleteWebhookInput, options, webhookId);
    return onWebhook(connection, 'DELETE', webhookId, undefined, options);
  });
}

/** Every event name a webhook can subscribe to (GET `/webhooks/all`). */
export function listWebhookEvents(
  connection: Connection,
  options?: RequestOptions,
): Promise<WebhookEvent[]> {
  return scrubbed(connection, async () => {
    assertValidInput('listEvents', getAllWebhookEventsInput, options);
    const path = `${collection(connection, options)}/all`;
    const events: Outgoing = { operation: 'getAllWebhookEvents', method: 'GET', path };
    return unwrapEventList(await request(connection, events, options));
  });
}

/**
 * Makes sure exactly one webhook named `desired.name` exists and looks like `desired`: creates
 * it, replaces it, or sends nothing. Safe to call from many replicas at once. The body is checked
 * once; ids that come back from the API are checked before they go into a path.
 */
export function ensureWebhook(
  connection: Connection,
  desired: WebhookRequest,
  options?: EnsureOptions,
): Promise<EnsureResult> {
  return scrubbed(connection, async () => {
    const serialised = assertValidInput('ensure', addWebhookInput, options, undefined, {
      value: desired,
    });
    const byId = (method: Outgoing['method'], id: string, json?: string) => {
      const issues = pathIssues(getWebhookInput, { webhookId: id });
      if (issues.length > 0) throw new ValidationError(issues, 'The API answered an unusable id');
      return onWebhook(connection, method, id, json, options);
    };
    return converge(
      serialised.sent,
      {
        list: () => listUnchecked(connection, options),
        create: () => createUnchecked(connection, serialised, options),
        replace: (id) => byId('PUT', id, serialised.json),
        remove: (id) => byId('DELETE', id),
      },
      options?.pruneDuplicates === true,
    );
  });
}

/** Resolves and checks the options once (as `createRealtimeKitClient` does) for the functions above. */
export { connect as createRealtimeKitConnection } from './config.js';
/** What the functions above send with: settings resolved once, the token held beside it, not on it. */
export type { Connection as RealtimeKitConnection } from './request.js';
