// What each command but ensure does with the client, and what it prints.
import type { RealtimeKitClient, WebhookPatch, WebhookRequest } from '@realtimekit-webhooks/client';
import { eventList, type Values } from './args.js';
import type { CommandContext } from './context.js';
import { ensureCommand } from './ensure-command.js';
import { json, line, webhookTable } from './output.js';
import { secured, urlSecretFrom } from './url-secret-flag.js';
import { UsageError } from './usage-error.js';

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

/** Runs the context's command; prints its result with the context's `print`. */
export async function runCommand(context: CommandContext): Promise<void> {
  const { command, id, values, rtk, print, env } = context;
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
      return ensureCommand(context);
  }
}
