// The README's speed and size figures are the benchmark report's: the summary `pnpm bench` writes
// into docs/benchmarks.md is the text between the README's `bench:summary` markers, verbatim.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../lib/workspace.mjs';

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const report = readFileSync(join(root, 'docs/benchmarks.md'), 'utf8');

describe("the README's figures come from docs/benchmarks.md", () => {
  it('quotes the report summary exactly', () => {
    const quoted = /<!-- bench:summary -->\n([\s\S]*?)\n<!-- \/bench:summary -->/.exec(readme)?.[1];
    const summary = /^## Summary\n\n(.+)$/m.exec(report)?.[1];
    expect(summary).toMatch(/\d\.\d\dx bare openapi-fetch/);
    expect(quoted).toBe(summary);
  });

  it('states no other speed or size figure outside the quoted summary', () => {
    const outside = readme.replace(/<!-- bench:summary -->[\s\S]*?<!-- \/bench:summary -->/, '');
    expect(
      outside.match(
        /\b\d+(?:\.\d+)?x (?:bare|the official|faster|slower)\b|\b\d+(?:\.\d+)? kB gzipped\b/g,
      ),
    ).toBeNull();
  });
});
