// Reads and checks an ensure file (YAML) before anything is sent; every problem names its line.
import { open } from 'node:fs/promises';
import { checkWebhookRequest, type WebhookRequest } from '@realtimekit-webhooks/client';
import { isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { printable } from './printable.js';
import { UsageError } from './usage-error.js';

/** The largest ensure file read: a list of webhooks is a few kB, anything near this is a mistake. */
export const MAX_ENSURE_FILE_BYTES = 1024 * 1024;
/**
 * The most aliases (`*name`) resolved in one file. Each alias can repeat a large node, so a small
 * file could otherwise expand into gigabytes ("billion laughs").
 */
export const MAX_ALIAS_COUNT = 100;

/** Where an ensure file comes from: a path, or `-` for standard input. */
export type Stdin = AsyncIterable<Uint8Array | string>;

function tooLarge(file: string): UsageError {
  return new UsageError(
    `${file} is larger than ${MAX_ENSURE_FILE_BYTES} bytes (1 MiB), the most an ensure file may be: is it the right file?`,
  );
}

/** Reads at most the cap from `chunks`, failing as soon as it is passed. */
async function readCapped(
  chunks: AsyncIterable<Uint8Array | string>,
  file: string,
): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.byteLength;
    if (size > MAX_ENSURE_FILE_BYTES) throw tooLarge(file);
    parts.push(bytes);
  }
  return Buffer.concat(parts).toString('utf8');
}

async function readSource(file: string, stdin: Stdin | undefined): Promise<string> {
  if (file === '-') {
    if (!stdin) throw new UsageError('--file - reads standard input, but there is none');
    return readCapped(stdin, 'standard input');
  }
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
    // The size is checked while reading too: a file can grow, and /dev/zero has no size.
    if ((await handle.stat()).size > MAX_ENSURE_FILE_BYTES) throw tooLarge(file);
    return await readCapped(handle.createReadStream({ autoClose: false }), file);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  } finally {
    await handle?.close();
  }
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
  const list = doc.get('webhooks', true) as Node | undefined;
  const entries = data?.webhooks;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new UsageError(
      `${at((list ?? doc.contents) as Node)}: expected a "webhooks:" list with at least one entry`,
    );
  }
  const seenNames = new Map<string, number>();
  const wanted: WebhookRequest[] = [];
  entries.forEach((value: unknown, index) => {
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
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return wanted;
}
