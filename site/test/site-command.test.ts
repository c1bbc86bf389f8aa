// The command the README gives for the site, run as written from the repository root: it must
// build the site (no built-in pnpm command shadows it) and print no notice it does not explain.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { siteDir } from './browser.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const COMMAND = 'npx -y pnpm@12.4.2 site';

describe('the documented site command', () => {
  it(`is the one the README gives: ${COMMAND}`, () => {
    expect(readFileSync(`${root}README.md`, 'utf8')).toContain(COMMAND);
    expect(readFileSync(`${root}CONTRIBUTING.md`, 'utf8')).toContain(COMMAND);
  });

  it('builds the site, run as written, with no unexplained banner', () => {
    const [command = 'npx', ...args] = COMMAND.split(' ');
    const output = execFileSync(command, args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(output).toContain('API reference written');
    expect(output).toContain('site written to');
    // Redocly's boxed notices are left out (CONTRIBUTING.md explains them).
    expect(output).not.toMatch(/[╔║╚]/);
    expect(output).not.toMatch(/deprecat/i);
    expect(existsSync(`${siteDir}index.html`)).toBe(true);
    expect(existsSync(`${siteDir}cli/index.html`)).toBe(true);
  }, 240_000);
});
