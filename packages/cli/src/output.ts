// How results are printed: aligned tables for people, JSON with --json.
import type { Webhook } from '@realtimekit-webhooks/client';
import { maskUrlSecret } from '@realtimekit-webhooks/rules';
import { printable, safeJson } from './printable.js';

/** A row of cells, or a note: a line about the row above, printed whole and never measured. */
export type Row = readonly string[] | string;

/** What a cell shows: its URL secret masked (before measuring, so widths tell no secret's length). */
const shownCell = (text: string) => printable(maskUrlSecret(text));

/** Columns padded to their widest cell; notes are indented lines that leave the widths alone. */
export function table(header: readonly string[], rows: readonly Row[]): string {
  const shown = rows.map((row) => (typeof row === 'string' ? shownCell(row) : row.map(shownCell)));
  const cellRows = shown.filter((row): row is string[] => typeof row !== 'string');
  const widths = header.map((h, i) =>
    Math.max(h.length, ...cellRows.map((r) => (r[i] ?? '').length)),
  );
  const line = (row: string | readonly string[]) =>
    typeof row === 'string'
      ? `    ${row}`
      : row
          .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
          .join('  ');
  return [line(header), ...shown.map(line)].join('\n');
}

/** Webhooks as a table. */
export function webhookTable(webhooks: readonly Webhook[]): string {
  if (webhooks.length === 0) return 'No webhooks.';
  return table(
    ['ID', 'NAME', 'ENABLED', 'EVENTS', 'URL'],
    webhooks.map((w) => [w.id, w.name, w.enabled ? 'yes' : 'no', w.events.join(','), w.url]),
  );
}

/** A result as JSON for scripts (control characters escaped, still valid JSON). */
export function json(value: unknown): string {
  return safeJson(value);
}

/** One line for people, about a webhook: the server's strings made printable. */
export function line(text: string): string {
  return printable(text);
}
