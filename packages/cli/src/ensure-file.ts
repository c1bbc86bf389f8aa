// Reads and checks an ensure file (YAML) before anything is sent; every problem names its line.
import {
  checkWebhookRequest,
  WEBHOOK_EVENTS,
  type WebhookRequest,
} from '@realtimekit-webhooks/client';
import { isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { readBounded, readBoundedFile } from './bounded-read.js';
import { eventHint } from './did-you-mean.js';
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

/** The longest problem line printed: a key of a megabyte must not become a megabyte of output. */
export const MAX_PROBLEM_CHARS = 800;

/**
 * `problem` within MAX_PROBLEM_CHARS: its middle (where a quoted key or value sits) left out and
 * counted, its start (file:line, the field) and its end (the expected values, a hint) kept.
 */
function bounded(problem: string): string {
  if (problem.length <= MAX_PROBLEM_CHARS) return problem;
  const head = problem.slice(0, MAX_PROBLEM_CHARS - 300);
  const tail = problem.slice(-250);
  return `${head} ... (${problem.length - head.length - tail.length} characters left out) ... ${tail}`;
}

/** The problems, at most MAX_PROBLEMS of them listed, each at most MAX_PROBLEM_CHARS long. */
function listed(problems: readonly string[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS).map(bounded);
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
 * Keys written twice in one mapping, as `line: "key"`: one pass with a set per mapping. yaml's
 * own check compares every key with every other (80,000 keys took 50 s), so it is turned off.
 */
function duplicateKeys(
  doc: ReturnType<typeof parseDocument>,
  lineOf: (node: Node) => number,
): string[] {
  const found: string[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (key === '<<') continue; // merge keys may repeat
        if (seen.has(key) && found.length <= MAX_PROBLEMS) {
          found.push(
            `${lineOf(pair.key as Node)}: the key ${JSON.stringify(String(key))} is written twice in one mapping (keys must be unique)`,
          );
        }
        seen.add(key);
      }
    },
  });
  return found;
}

/**
 * The webhooks a file (or `-`, standard input) asks for; throws UsageError listing every problem
 * as `file:line: ...`.
 */
export async function readEnsureFile(file: string, stdin?: Stdin): Promise<WebhookRequest[]> {
  const text = await readSource(file, stdin);
  const name = file === '-' ? 'stdin' : file;
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    merge: true,
    uniqueKeys: false,
  });
  const lineOf = (node: Node | null | undefined) =>
    node?.range ? lines.linePos(node.range[0]).line : 1;
  const at = (node: Node | null | undefined) => `${name}:${lineOf(node)}`;
  // Without prettyErrors, an error carries its offset (pos), not its line: the line is counted here.
  const problems: string[] = doc.errors.map(
    (e) => `${name}:${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`,
  );
  if (problems.length === 0)
    problems.push(...duplicateKeys(doc, lineOf).map((problem) => `${name}:${problem}`));
  if (problems.length > 0) throw new UsageError(listed(problems));

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
      problems.push(
        `${at(node ?? entry)}: ${field} ${issue.message}${eventHint(issue.path, issue.message, WEBHOOK_EVENTS)}`,
      );
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
