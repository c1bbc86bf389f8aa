// What each command does with the client, and what it prints.
import {
  NotFoundError,
  planEnsure,
  type RealtimeKitClient,
  type Webhook,
  type WebhookPatch,
  type WebhookRequest,
  withUrlSecret,
} from '@realtimekit-webhooks/client';
import { urlSecretProblem } from '@realtimekit-webhooks/types';
import { type Command, eventList, type Values } from './args.js';
import { readEnsureFile, type Stdin } from './ensure-file.js';
import { json, line, type Row, table, webhookTable } from './output.js';
import { UsageError } from './usage-error.js';

/**
 * The secret `--url-secret-env NAME` names (read from that environment variable, never from a
 * flag, so it stays out of shell history), or undefined without the flag.
 */
function urlSecretFrom(
  values: Values,
  env: Record<string, string | undefined>,
): string | undefined {
  const name = values['url-secret-env'];
  if (name === undefined) return undefined;
  const secret = env[name];
  if (secret === undefined || secret === '') {
    throw new UsageError(`--url-secret-env ${name}: the environment variable ${name} is not set`);
  }
  const problem = urlSecretProblem(secret);
  if (problem) throw new UsageError(`--url-secret-env ${name}: ${problem}`);
  return secret;
}

/** `url` with the secret in it, when there is one (a URL the client will refuse is left as it is). */
function secured(url: string, secret: string | undefined): string {
  if (secret === undefined || !URL.canParse(url)) return url;
  return withUrlSecret(url, secret);
}

/** The request body the body flags describe (fields whose flag was not given are left out). */
function bodyFromFlags(values: Values, secret?: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (values.name !== undefined) body.name = values.name;
  if (values.url !== undefined) body.url = secured(values.url, secret);
  const events = eventList(values.events);
  if (events !== undefined) body.events = events;
  if (values.disabled) body.enabled = false;
  if (values.enabled) body.enabled = true;
  return body;
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

async function ensure(
  rtk: RealtimeKitClient,
  values: Values,
  print: (text: string) => void,
  stdin: Stdin | undefined,
  env: Record<string, string | undefined>,
): Promise<void> {
  if (values.file === undefined)
    throw new UsageError('"ensure" needs --file <webhooks.yaml> (or --file - for standard input)');
  const secret = urlSecretFrom(values, env);
  const wanted = (await readEnsureFile(values.file, stdin)).map((entry) => ({
    ...entry,
    url: secured(entry.url, secret),
  }));
  const dryRun = values['dry-run'] ?? false;
  const prune = values.prune ?? false;
  const rows: Row[] = [];
  const report: unknown[] = [];
  // What is there now: the plan (and the field-by-field changes) is made against it.
  const existing = await rtk.webhooks.list();
  for (const desired of wanted) {
    const plan = planEnsure(desired, existing);
    const outcome = dryRun ? plan : await rtk.webhooks.ensure(desired, { pruneDuplicates: prune });
    const duplicates = outcome.duplicates.map((w) => w.id);
    const changes =
      plan.action === 'updated' && plan.webhook ? changesOf(plan.webhook, desired) : {};
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
  }
  // --prune: the app's webhooks the file does not name go too (listed, not deleted, with --dry-run).
  if (prune) {
    const named = new Set(wanted.map((w) => w.name));
    for (const webhook of existing.filter((w) => !named.has(w.name))) {
      if (!dryRun) await deleteIfPresent(rtk, webhook.id);
      report.push({
        name: webhook.name,
        action: 'deleted',
        id: webhook.id,
        duplicates: [],
        dryRun,
      });
      rows.push([dryRun ? 'would delete' : 'deleted', webhook.name, webhook.id]);
    }
  }
  print(values.json ? json(report) : table(['ACTION', 'NAME', 'ID'], rows));
}

async function deleteIfPresent(rtk: RealtimeKitClient, id: string): Promise<void> {
  try {
    await rtk.webhooks.delete(id);
  } catch (error) {
    // Deleted meanwhile (another replica's ensure): the outcome wanted.
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/** The id of the one webhook named `name`: refused when none or several are. */
async function idByName(rtk: RealtimeKitClient, name: string): Promise<string> {
  const matches = (await rtk.webhooks.list()).filter((w) => w.name === name);
  const [only] = matches;
  if (!only) throw new UsageError(`no webhook is named "${name}" (rtk-webhooks list shows them)`);
  if (matches.length > 1) {
    throw new UsageError(
      `${matches.length} webhooks are named "${name}": give one id instead (${matches.map((w) => w.id).join(', ')})`,
    );
  }
  return only.id;
}

/** Runs `command`; prints its result with `print`. */
export async function runCommand(
  command: Command,
  id: string | undefined,
  values: Values,
  rtk: RealtimeKitClient,
  print: (text: string) => void,
  stdin?: Stdin,
  env: Record<string, string | undefined> = {},
): Promise<void> {
  const secret = command === 'ensure' ? undefined : urlSecretFrom(values, env);
  const webhookId =
    id ??
    ((command === 'get' || command === 'delete') && values.name !== undefined
      ? await idByName(rtk, values.name)
      : '');
  const show = (value: unknown, human: string) => print(values.json ? json(value) : human);
  switch (command) {
    case 'list': {
      const webhooks = await rtk.webhooks.list();
      return show(webhooks, webhookTable(webhooks));
    }
    case 'get': {
      const webhook = await rtk.webhooks.get(webhookId);
      return show(webhook, webhookTable([webhook]));
    }
    case 'add': {
      const webhook = await rtk.webhooks.create(
        bodyFromFlags(values, secret) as unknown as WebhookRequest,
      );
      return show(webhook, line(`Created webhook ${webhook.name} (${webhook.id})`));
    }
    case 'replace': {
      const webhook = await rtk.webhooks.replace(
        webhookId,
        bodyFromFlags(values, secret) as unknown as WebhookRequest,
      );
      return show(webhook, line(`Replaced webhook ${webhook.name} (${webhook.id})`));
    }
    case 'update': {
      const patch = bodyFromFlags(values, secret);
      if (Object.keys(patch).length === 0) {
        throw new UsageError(
          '"update" needs something to change: --name, --url, --events, --enabled or --disabled',
        );
      }
      const webhook = await rtk.webhooks.update(webhookId, patch as WebhookPatch);
      return show(webhook, line(`Updated webhook ${webhook.name} (${webhook.id})`));
    }
    case 'delete': {
      const webhook = await rtk.webhooks.delete(webhookId);
      return show(webhook, line(`Deleted webhook ${webhook.name} (${webhook.id})`));
    }
    case 'events': {
      const events = await rtk.webhooks.listEvents();
      return show(events, events.map(line).join('\n'));
    }
    case 'ensure':
      return ensure(rtk, values, print, stdin, env);
  }
}
