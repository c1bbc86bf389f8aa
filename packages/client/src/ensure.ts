// ensure(): converge on exactly one webhook with a given name, however many replicas call it.
import type { Webhook, WebhookRequest } from '@realtimekit-webhooks/types';
import { NotFoundError } from './errors.js';
import { byAge, matchesRequest } from './webhook-match.js';

/** What ensure() did. */
export interface EnsureResult {
  /** `created`: none had the name; `updated`: the kept one was replaced; `unchanged`: nothing sent. */
  action: 'created' | 'updated' | 'unchanged';
  /** The one webhook with the desired name that is kept (the oldest). */
  webhook: Webhook;
  /** Other webhooks with the same name that were found (deleted when `pruneDuplicates` is set). */
  duplicates: Webhook[];
}

/** The calls ensure() is made of. */
export interface EnsureCalls {
  list(): Promise<Webhook[]>;
  create(body: WebhookRequest): Promise<Webhook>;
  replace(id: string, body: WebhookRequest): Promise<Webhook>;
  remove(id: string): Promise<unknown>;
}

async function removeIfPresent(calls: EnsureCalls, id: string): Promise<void> {
  try {
    await calls.remove(id);
  } catch (error) {
    // Another replica removed it first: the outcome we wanted.
    if (!(error instanceof NotFoundError)) throw error;
  }
}

async function sameName(calls: EnsureCalls, name: string): Promise<Webhook[]> {
  return (await calls.list()).filter((w) => w.name === name).sort(byAge);
}

export async function ensureWebhook(
  desired: WebhookRequest,
  calls: EnsureCalls,
  pruneDuplicates: boolean,
): Promise<EnsureResult> {
  let found = await sameName(calls, desired.name);
  let created: Webhook | undefined;
  if (found.length === 0) {
    created = await calls.create(desired);
    // Replicas racing here each made one; all of them keep the oldest and remove their own.
    found = await sameName(calls, desired.name);
    if (!found.some((w) => w.id === created?.id)) found = [...found, created].sort(byAge);
    if (found[0]?.id !== created.id) {
      await removeIfPresent(calls, created.id);
      found = found.filter((w) => w.id !== created?.id);
      created = undefined;
    }
  }
  const [oldest, ...duplicates] = found as [Webhook, ...Webhook[]];
  let action: EnsureResult['action'] = created ? 'created' : 'unchanged';
  let webhook = oldest;
  if (!created && !matchesRequest(oldest, desired)) {
    webhook = await calls.replace(oldest.id, desired);
    action = 'updated';
  }
  if (pruneDuplicates) {
    for (const duplicate of duplicates) await removeIfPresent(calls, duplicate.id);
  }
  return { action, webhook, duplicates };
}
