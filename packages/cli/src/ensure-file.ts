// Reads and checks an ensure file (YAML) before anything is sent; every problem names its line.
import { readFile } from 'node:fs/promises';
import { checkWebhookRequest, type WebhookRequest } from '@realtimekit-webhooks/client';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { UsageError } from './usage-error.js';

const FIELDS = new Set(['name', 'url', 'events', 'enabled']);

/** `body.events[1]` -> ['events', 1] */
function pathOf(issuePath: string): (string | number)[] {
  return issuePath
    .replace(/^body\.?/, '')
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** The webhooks a file asks for; throws UsageError listing every problem as `file:line: ...`. */
export async function readEnsureFile(file: string): Promise<WebhookRequest[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (node: Node | null | undefined) =>
    `${file}:${node?.range ? lines.linePos(node.range[0]).line : 1}`;
  const problems: string[] = doc.errors.map(
    (e) => `${file}:${e.linePos?.[0]?.line ?? 1}: ${e.message.split('\n')[0]}`,
  );
  if (problems.length > 0) throw new UsageError(problems.join('\n'));

  const list = doc.get('webhooks', true) as Node | undefined;
  if (!isSeq(list) || list.items.length === 0) {
    throw new UsageError(
      `${at((list ?? doc.contents) as Node)}: expected a "webhooks:" list with at least one entry`,
    );
  }
  const seenNames = new Map<string, number>();
  const wanted: WebhookRequest[] = [];
  list.items.forEach((item, index) => {
    const entry = item as Node;
    if (!isMap(entry)) {
      problems.push(`${at(entry)}: webhooks[${index}] must be a mapping with name, url, events`);
      return;
    }
    const value = entry.toJSON() as Record<string, unknown>;
    for (const key of Object.keys(value)) {
      if (!FIELDS.has(key))
        problems.push(
          `${at(entry.get(key, true) as Node)}: webhooks[${index}].${key} is not a field (expected name, url, events, enabled)`,
        );
    }
    const body = Object.fromEntries(Object.entries(value).filter(([key]) => FIELDS.has(key)));
    for (const issue of checkWebhookRequest(body)) {
      const node = doc.getIn(['webhooks', index, ...pathOf(issue.path)], true) as Node | undefined;
      const field = issue.path.replace(/^body/, `webhooks[${index}]`);
      problems.push(`${at(node ?? entry)}: ${field} ${issue.message}`);
    }
    const name = value.name;
    if (typeof name === 'string') {
      const first = seenNames.get(name);
      if (first !== undefined)
        problems.push(
          `${at(entry)}: webhooks[${index}].name "${name}" is already used by webhooks[${first}]`,
        );
      seenNames.set(name, index);
    }
    wanted.push(body as WebhookRequest);
  });
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return wanted;
}
