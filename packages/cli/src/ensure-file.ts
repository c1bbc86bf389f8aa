// Reads and checks an ensure file (YAML) before anything is sent; every problem names its line.
import { checkWebhookRequest, type WebhookRequest } from '@realtimekit-webhooks/client';
import { isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { readBounded, readBoundedFile } from './bounded-read.js';
import { printable } from './printable.js';
import { UsageError } from './usage-error.js';

/** The largest ensure file read: a list of webhooks is a few kB, anything near this is a mistake. */
export const MAX_ENSURE_FILE_BYTES = 1024 * 1024;
/**
 * The most aliases (`*name`) resolved in one file. Each alias can repeat a large node, so a small
 * file could otherwise expand into gigabytes ("billion laughs").
 */
export const MAX_ALIAS_COUNT = 100;
/** The most entries a file may hold once aliases are resolved (an app has a few webhooks). */
export const MAX_ENTRIES = 1_000;
/** The most values a file may expand to: aliases of large nodes stop here, not in gigabytes. */
export const MAX_VALUES = 100_000;
/** The most problems listed; past it, how many more there are. */
export const MAX_PROBLEMS = 50;

/** How many values `data` holds, counting until `limit` (then stopping). */
function countValues(data: unknown, limit: number): number {
  let count = 0;
  const stack = [data];
  while (stack.length > 0 && count <= limit) {
    const value = stack.pop();
    count += 1;
    if (value !== null && typeof value === 'object') stack.push(...Object.values(value));
  }
  return count;
}

/** The problems, at most MAX_PROBLEMS of them listed. */
function listed(problems: readonly string[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS);
  const more = problems.length - shown.length;
  return [...shown, ...(more > 0 ? [`... and ${more} more problems`] : [])].join('\n');
}

/** Where an ensure file comes from: a path, or `-` for standard input. */
export type Stdin = AsyncIterable<Uint8Array | string>;

async function readSource(file: string, stdin: Stdin | undefined): Promise<string> {
  if (file !== '-') return readBoundedFile(file, MAX_ENSURE_FILE_BYTES);
  if (!stdin) throw new UsageError('--file - reads standard input, but there is none');
  return readBounded(stdin, 'standard input', MAX_ENSURE_FILE_BYTES);
}

/** `body.events[1]` -> ['events', 1] */
function pathOf(issuePath: string): (string | number)[] {
  return issuePath
    .replace(/^body\.?/, '')
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** The file's content as plain data, aliases resolved within the bound. */
function plainData(doc: ReturnType<typeof parseDocument>, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new UsageError(
      `${file}: ${(error as Error).message.split('\n')[0]} (at most ${MAX_ALIAS_COUNT} aliases are resolved)`,
    );
  }
}

/**
 * The webhooks a file (or `-`, standard input) asks for; throws UsageError listing every problem
 * as `file:line: ...`.
 */
export async function readEnsureFile(file: string, stdin?: Stdin): Promise<WebhookRequest[]> {
  const text = await readSource(file, stdin);
  const name = file === '-' ? 'stdin' : file;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  const at = (node: Node | null | undefined) =>
    `${name}:${node?.range ? lines.linePos(node.range[0]).line : 1}`;
  const problems: string[] = doc.errors.map(
    (e) => `${name}:${e.linePos?.[0]?.line ?? 1}: ${e.message.split('\n')[0]}`,
  );
  if (problems.length > 0) throw new UsageError(problems.join('\n'));

  const data = plainData(doc, name) as { webhooks?: unknown } | null;
  if (countValues(data, MAX_VALUES) > MAX_VALUES) {
    throw new UsageError(
      `${name}: expands to more than ${MAX_VALUES} values once its aliases are resolved: is it the right file?`,
    );
  }
  const list = doc.get('webhooks', true) as Node | undefined;
  const entries = data?.webhooks;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new UsageError(
      `${at((list ?? doc.contents) as Node)}: expected a "webhooks:" list with at least one entry`,
    );
  }
  if (entries.length > MAX_ENTRIES) {
    throw new UsageError(
      `${name}: ${entries.length} entries; an ensure file holds at most ${MAX_ENTRIES}`,
    );
  }
  const seenNames = new Map<string, number>();
  const wanted: WebhookRequest[] = [];
  entries.forEach((value: unknown, index) => {
    // Past the listed problems, the rest are only counted: no line lookups, no messages built.
    if (problems.length > MAX_PROBLEMS) {
      problems.push(...checkWebhookRequest(value).map(() => ''));
      return;
    }
    // The node, for line numbers: an alias's line is where the alias is written.
    const entry = (isSeq(list) ? list.items[index] : undefined) as Node | undefined;
    // Each entry is an addWebhook body: the client's check is the only judge of one (fields,
    // types, formats, events, all from the spec); this file adds only what spans entries.
    for (const issue of checkWebhookRequest(value)) {
      const node = doc.getIn(['webhooks', index, ...pathOf(issue.path)], true) as Node | undefined;
      const field = printable(issue.path.replace(/^body/, `webhooks[${index}]`));
      problems.push(`${at(node ?? entry)}: ${field} ${issue.message}`);
    }
    const webhookName = (value as { name?: unknown } | null)?.name;
    if (typeof webhookName === 'string') {
      const first = seenNames.get(webhookName);
      if (first !== undefined)
        problems.push(
          `${at(entry)}: webhooks[${index}].name ${JSON.stringify(webhookName)} is already used by webhooks[${first}]`,
        );
      seenNames.set(webhookName, index);
    }
    wanted.push(value as WebhookRequest);
  });
  if (problems.length > 0) throw new UsageError(listed(problems));
  return wanted;
}
