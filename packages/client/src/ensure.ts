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

/** What ensure() would do, given the webhooks that exist now (for dry runs). */
export interface EnsurePlan {
  /** What ensure() would do: create, replace (`updated`) or send nothing (`unchanged`). */
  action: EnsureResult['action'];
  /** The webhook that would be kept, when one exists. */
  webhook: Webhook | undefined;
  /** The other webhooks with the desired name (ensure deletes them with `pruneDuplicates`). */
  duplicates: Webhook[];
}

/** Decides, without sending anything, what ensure() would do with `existing`. */
export function planEnsure(desired: WebhookRequest, existing: readonly Webhook[]): EnsurePlan {
  const [oldest, ...duplicates] = existing.filter((w) => w.name === desired.name).sort(byAge);
  if (!oldest) return { action: 'created', webhook: undefined, duplicates: [] };
  const action = matchesRequest(oldest, desired) ? 'unchanged' : 'updated';
  return { action, webhook: oldest, duplicates };
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

export async function ensureWebhook(
  desired: WebhookRequest,
  calls: EnsureCalls,
  pruneDuplicates: boolean,
): Promise<EnsureResult> {
  let plan = planEnsure(desired, await calls.list());
  let webhook = plan.webhook;
  let action = plan.action;
  if (!webhook) {
    const created = await calls.create(desired);
    // Replicas racing here each made one; all of them keep the oldest and remove their own.
    const listed = await calls.list();
    const seen = listed.some((w) => w.id === created.id) ? listed : [...listed, created];
    plan = planEnsure(desired, seen);
    webhook = plan.webhook ?? created;
    if (webhook.id === created.id) {
      action = 'created';
    } else {
      await removeIfPresent(calls, created.id);
      plan.duplicates = plan.duplicates.filter((w) => w.id !== created.id);
      action = plan.action;
    }
  }
  if (action === 'updated') webhook = await calls.replace(webhook.id, desired);
  if (pruneDuplicates) {
    for (const duplicate of plan.duplicates) await removeIfPresent(calls, duplicate.id);
  }
  return { action, webhook, duplicates: plan.duplicates };
}
