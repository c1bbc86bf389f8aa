// The CLI's page: generated from the program's own help, it lists every command `rtk-webhooks
// --help` names, each with that command's help, and opens in Chromium cleanly.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsIn } from '../cli-page.js';
import { chromiumForTests, launch, serveSite, watchedPage } from './browser.js';

const require = createRequire(import.meta.url);
const manifestPath = require.resolve('@realtimekit-webhooks/cli/package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const bin = join(dirname(manifestPath), manifest.bin['rtk-webhooks']);
const help = (...args: string[]) =>
  execFileSync(process.execPath, [bin, ...args, '--help'], { encoding: 'utf8' }).trimEnd();
const commands = commandsIn(help());

const run = chromiumForTests();
let browser: Browser;
let site: { url: string; server: Server };

beforeAll(async () => {
  if (!run) return;
  [browser, site] = await Promise.all([launch(), serveSite()]);
});
afterAll(async () => {
  await browser?.close();
  site?.server.close();
});

describe('the CLI page', () => {
  it('knows every command the CLI lists', () => {
    expect(commands).toEqual(
      expect.arrayContaining(['list', 'get', 'add', 'update', 'replace', 'delete', 'events']),
    );
    expect(commands).toEqual(expect.arrayContaining(['mock', 'trigger', 'ensure']));
  });

  it.skipIf(!run)('lists every command with its own help, and the CLI version', async () => {
    const { page, problems } = await watchedPage(browser, site.url);
    await page.goto(`${site.url}/cli/`);
    const headings = await page.locator('section h2').allTextContents();
    expect(headings).toEqual(commands.map((name) => `rtk-webhooks ${name}`));
    for (const name of commands) {
      const shown = (await page.locator(`section#${name} pre`).textContent()) ?? '';
      expect(shown).toBe(help(name));
    }
    expect(await page.locator('h1').textContent()).toContain(manifest.version);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], outsideRequests: [] });
    await page.close();
  });
});
