// The TypeScript packages' reference: every value a package exports (from each entry point its
// package.json declares) has a page, and each package's front page opens in Chromium cleanly.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENTED_PACKAGES } from '../documented-packages.js';
import {
  artifactsDir,
  chromiumForTests,
  launch,
  serveSite,
  siteDir,
  watchedPage,
} from './browser.js';

const require = createRequire(import.meta.url);

/** The import paths a package exports modules under: `name`, `name/node`, ... */
function entryPointsOf(name: string): string[] {
  const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'));
  return Object.entries(manifest.exports as Record<string, unknown>)
    .filter(([, target]) => typeof target === 'object')
    .map(([entry]) => (entry === '.' ? name : `${name}/${entry.slice(2)}`));
}

/** Every HTML page of a package's reference, as paths under its folder. */
function pagesOf(short: string): string[] {
  const dir = join(siteDir, 'packages', short);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.html'));
}

describe.each(DOCUMENTED_PACKAGES.map((name) => [name] as const))('%s', (name) => {
  const short = name.split('/')[1] ?? name;

  it.each(entryPointsOf(name).map((entry) => [entry] as const))(
    'every value %s exports has a page',
    async (entry) => {
      const exported = Object.keys(await import(entry)).filter((key) => key !== 'default');
      const pages = pagesOf(short).map((page) =>
        page
          .split('/')
          .pop()
          ?.replace(/\.html$/, ''),
      );
      // An entry point with only a default export (a vitest globalSetup) has its module page.
      if (exported.length === 0) expect(pages).toContain(entry.split('/').pop());
      // TypeDoc names a page `<module>.<export>` when a package has several entry points.
      const missing = exported.filter(
        (value) => !pages.some((page) => page === value || page?.endsWith(`.${value}`)),
      );
      expect(missing).toEqual([]);
    },
  );
});

const run = chromiumForTests();
let browser: Browser;
let site: { url: string; server: Server };

beforeAll(async () => {
  if (!run) return;
  mkdirSync(artifactsDir, { recursive: true });
  [browser, site] = await Promise.all([launch(), serveSite()]);
});
afterAll(async () => {
  await browser?.close();
  site?.server.close();
});

describe.skipIf(!run)('the site in Chromium', () => {
  it('the front page links the API reference and every package, and each link opens', async () => {
    const { page, problems } = await watchedPage(browser, site.url);
    await page.goto(`${site.url}/`);
    const links = await page.$$eval('a', (anchors) => anchors.map((a) => a.getAttribute('href')));
    expect(links).toEqual([
      ...DOCUMENTED_PACKAGES.map((name) => `packages/${name.split('/')[1]}/`),
      'cli/',
      'api/',
    ]);
    // The version shown is each package's own.
    const text = (await page.locator('body').textContent()) ?? '';
    for (const name of DOCUMENTED_PACKAGES) {
      const { version } = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'));
      expect(text).toContain(`${name} ${version}`);
    }
    for (const link of links) {
      const response = await page.goto(`${site.url}/${link}`);
      expect(response?.status(), link ?? '').toBe(200);
    }
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], outsideRequests: [] });
    await page.close();
  });

  it.each(DOCUMENTED_PACKAGES.map((name) => [name] as const))(
    "%s: its front page is its manual, with the README's first example and the package's version",
    async (name) => {
      const short = name.split('/')[1] ?? name;
      const manifestPath = require.resolve(`${name}/package.json`);
      const { version } = JSON.parse(readFileSync(manifestPath, 'utf8'));
      const readme = readFileSync(join(manifestPath, '..', 'README.md'), 'utf8');
      const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
      expect(example).not.toBe('');
      const { page, problems } = await watchedPage(browser, site.url);
      await page.goto(`${site.url}/packages/${short}/`);
      const code = (await page.locator('pre').allTextContents()).join('\n');
      // Every line of the example, as the page shows it.
      for (const line of example.trim().split('\n')) expect(code).toContain(line.trim());
      expect(await page.title()).toContain(`${name} - v${version}`);
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [], outsideRequests: [] });
      await page.close();
    },
  );

  it.each(DOCUMENTED_PACKAGES.map((name) => [name] as const))(
    "%s: its reference opens and names the package's exports",
    async (name) => {
      const short = name.split('/')[1] ?? name;
      const { page, problems } = await watchedPage(browser, site.url);
      await page.goto(`${site.url}/packages/${short}/modules.html`);
      const text = (await page.locator('body').textContent()) ?? '';
      expect(text).toContain(name);
      // One entry point: the modules page lists every exported value. Several: it lists the modules.
      const entries = entryPointsOf(name);
      const expected =
        entries.length === 1
          ? Object.keys(await import(name)).filter((key) => key !== 'default')
          : entries.map((entry) => (entry === name ? 'index' : (entry.split('/').pop() ?? entry)));
      expect(expected.filter((shown) => !text.includes(shown))).toEqual([]);
      if (short === 'client')
        await page.screenshot({ path: join(artifactsDir, 'package-client.png') });
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [], outsideRequests: [] });
      await page.close();
    },
  );
});
