// How results are printed: aligned tables for people, JSON with --json.
import type { Webhook } from '@realtimekit-webhooks/client';
import { printable, safeJson } from './printable.js';

/** Columns padded to their widest cell; every cell is made printable first. */
export function table(header: readonly string[], cells: readonly (readonly string[])[]): string {
  const rows = cells.map((row) => row.map(printable));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
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
