// `rtk-webhooks ensure --file`: a plan made once against what exists (pure), applied unless
// --dry-run, then put in words (a table, or JSON). The client's ensure is the judge of each entry;
// this command adds --prune of the webhooks the file does not name, and the field-by-field diff.
import {
  type EnsurePlan,
  type EnsureResult,
  NotFoundError,
  planEnsure,
  type RealtimeKitClient,
  type Webhook,
  type WebhookRequest,
} from '@realtimekit-webhooks/client';
import type { CommandContext } from './context.js';
import { readEnsureFile } from './ensure-file.js';
import { json, type Row, table } from './output.js';
import { secured, urlSecretFrom } from './url-secret-flag.js';
import { UsageError } from './usage-error.js';

/** What the file asks for against what exists: an entry's plan each, and the webhooks to prune. */
interface Plan {
  readonly entries: readonly { desired: WebhookRequest; plan: EnsurePlan }[];
  /** The app's webhooks the file does not name (deleted with --prune). */
  readonly strays: readonly Webhook[];
}

/** The plan: pure, from the file's entries and the webhooks listed once. */
export function planFile(
  wanted: readonly WebhookRequest[],
  existing: readonly Webhook[],
  prune: boolean,
): Plan {
  const named = new Set(wanted.map((w) => w.name));
  return {
    entries: wanted.map((desired) => ({ desired, plan: planEnsure(desired, existing) })),
    strays: prune ? existing.filter((w) => !named.has(w.name)) : [],
  };
}

/** What `desired` changes in `current`, field by field: `{ url: { from, to } }`. */
function changesOf(
  current: Webhook,
  desired: WebhookRequest,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const wanted = { ...desired, enabled: desired.enabled ?? true };
  for (const field of ['url', 'events', 'enabled'] as const) {
    const from = current[field];
    const to = wanted[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

const shown = (value: unknown) => (Array.isArray(value) ? value.join(',') : String(value));

async function deleteIfPresent(rtk: RealtimeKitClient, id: string): Promise<void> {
  try {
    await rtk.webhooks.delete(id);
  } catch (error) {
    // Deleted meanwhile (another replica's ensure): the outcome wanted.
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/** Carries the plan out: each entry through the client's ensure, then the strays deleted. */
async function apply(rtk: RealtimeKitClient, plan: Plan, prune: boolean): Promise<EnsureResult[]> {
  const outcomes: EnsureResult[] = [];
  for (const { desired } of plan.entries) {
    outcomes.push(await rtk.webhooks.ensure(desired, { pruneDuplicates: prune }));
  }
  for (const stray of plan.strays) await deleteIfPresent(rtk, stray.id);
  return outcomes;
}

/** The plan and its outcomes in words: the JSON report and the table's rows. */
function words(
  plan: Plan,
  outcomes: readonly (EnsurePlan | EnsureResult)[],
  { dryRun, prune }: { dryRun: boolean; prune: boolean },
): { report: unknown[]; rows: Row[] } {
  const report: unknown[] = [];
  const rows: Row[] = [];
  plan.entries.forEach(({ desired, plan: entryPlan }, index) => {
    const outcome = outcomes[index] ?? entryPlan;
    const duplicates = outcome.duplicates.map((w) => w.id);
    const changes =
      entryPlan.action === 'updated' && entryPlan.webhook
        ? changesOf(entryPlan.webhook, desired)
        : {};
    const action =
      dryRun && outcome.action !== 'unchanged'
        ? `would ${outcome.action.replace(/d$/, '')}`
        : outcome.action;
    report.push({
      name: desired.name,
      action: outcome.action,
      id: outcome.webhook?.id ?? null,
      duplicates,
      ...(Object.keys(changes).length > 0 ? { changes } : {}),
      dryRun,
    });
    rows.push([action, desired.name, outcome.webhook?.id ?? '-']);
    for (const [field, { from, to }] of Object.entries(changes)) {
      rows.push(`${field}: ${shown(from)} -> ${shown(to)}`);
    }
    if (duplicates.length > 0) {
      const fate = prune
        ? dryRun
          ? 'would be deleted'
          : 'deleted'
        : 'kept (--prune deletes them)';
      rows.push(`${duplicates.length} duplicate(s) ${fate}: ${duplicates.join(', ')}`);
    }
  });
  for (const stray of plan.strays) {
    report.push({ name: stray.name, action: 'deleted', id: stray.id, duplicates: [], dryRun });
    rows.push([dryRun ? 'would delete' : 'deleted', stray.name, stray.id]);
  }
  return { report, rows };
}

/** `ensure --file <f> [--prune] [--dry-run] [--url-secret-env VAR]`. */
export async function ensureCommand({ values, rtk, print, stdin, env }: CommandContext) {
  if (values.file === undefined)
    throw new UsageError('"ensure" needs --file <webhooks.yaml> (or --file - for standard input)');
  const secret = urlSecretFrom(values, env);
  const wanted = (await readEnsureFile(values.file, stdin)).map((entry) => ({
    ...entry,
    url: secured(entry.url, secret),
  }));
  const dryRun = values['dry-run'] ?? false;
  const prune = values.prune ?? false;
  // What is there now: the plan (and the field-by-field changes) is made against it.
  const plan = planFile(wanted, await rtk.webhooks.list(), prune);
  const outcomes = dryRun ? plan.entries.map((entry) => entry.plan) : await apply(rtk, plan, prune);
  const { report, rows } = words(plan, outcomes, { dryRun, prune });
  print(values.json ? json(report) : table(['ACTION', 'NAME', 'ID'], rows));
}
