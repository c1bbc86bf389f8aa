// What each command does with the client, and what it prints.
import {
  planEnsure,
  type RealtimeKitClient,
  type WebhookPatch,
  type WebhookRequest,
} from '@realtimekit-webhooks/client';
import { type Command, eventList, type Values } from './args.js';
import { readEnsureFile, type Stdin } from './ensure-file.js';
import { json, line, table, webhookTable } from './output.js';
import { UsageError } from './usage-error.js';

/** The request body the body flags describe (fields whose flag was not given are left out). */
function bodyFromFlags(values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (values.name !== undefined) body.name = values.name;
  if (values.url !== undefined) body.url = values.url;
  const events = eventList(values.events);
  if (events !== undefined) body.events = events;
  if (values.disabled) body.enabled = false;
  if (values.enabled) body.enabled = true;
  return body;
}

async function ensure(
  rtk: RealtimeKitClient,
  values: Values,
  print: (text: string) => void,
  stdin: Stdin | undefined,
): Promise<void> {
  if (values.file === undefined)
    throw new UsageError('"ensure" needs --file <webhooks.yaml> (or --file - for standard input)');
  const wanted = await readEnsureFile(values.file, stdin);
  const rows: string[][] = [];
  const report: unknown[] = [];
  const existing = values['dry-run'] ? await rtk.webhooks.list() : [];
  for (const desired of wanted) {
    const outcome = values['dry-run']
      ? planEnsure(desired, existing)
      : await rtk.webhooks.ensure(desired, { pruneDuplicates: values.prune ?? false });
    const duplicates = outcome.duplicates.map((w) => w.id);
    const action =
      values['dry-run'] && outcome.action !== 'unchanged'
        ? `would ${outcome.action.replace(/d$/, '')}`
        : outcome.action;
    report.push({
      name: desired.name,
      action: outcome.action,
      id: outcome.webhook?.id ?? null,
      duplicates,
      dryRun: values['dry-run'] ?? false,
    });
    rows.push([action, desired.name, outcome.webhook?.id ?? '-']);
    if (duplicates.length > 0) {
      const fate = values.prune
        ? values['dry-run']
          ? 'would be deleted'
          : 'deleted'
        : 'kept (--prune deletes them)';
      rows.push(['', `${duplicates.length} duplicate(s) ${fate}`, duplicates.join(',')]);
    }
  }
  print(values.json ? json(report) : table(['ACTION', 'NAME', 'ID'], rows));
}

/** Runs `command`; prints its result with `print`. */
export async function runCommand(
  command: Command,
  id: string | undefined,
  values: Values,
  rtk: RealtimeKitClient,
  print: (text: string) => void,
  stdin?: Stdin,
): Promise<void> {
  const webhookId = id ?? '';
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
      const webhook = await rtk.webhooks.create(bodyFromFlags(values) as unknown as WebhookRequest);
      return show(webhook, line(`Created webhook ${webhook.name} (${webhook.id})`));
    }
    case 'replace': {
      const webhook = await rtk.webhooks.replace(
        webhookId,
        bodyFromFlags(values) as unknown as WebhookRequest,
      );
      return show(webhook, line(`Replaced webhook ${webhook.name} (${webhook.id})`));
    }
    case 'update': {
      const patch = bodyFromFlags(values);
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
      return ensure(rtk, values, print, stdin);
  }
}
