// A real headless Chromium (Debian's `chromium`, driven by playwright-core) on the built site,
// served from a loopback port. Every console error, page error and request that leaves the site
// is recorded, so a test can assert there were none.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requiredComponent } from '@realtimekit-webhooks/test-servers/required-component';
import { type Browser, chromium, type Page } from 'playwright-core';

export const siteDir = fileURLToPath(new URL('../dist/', import.meta.url));
export const artifactsDir = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Where Chromium is: $CHROMIUM_PATH, or Debian's package. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((path) => path && existsSync(path));
  if (found) return found;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Whether the browser tests can run: throws in CI when Chromium is missing, else warns. */
export function chromiumForTests(): boolean {
  return requiredComponent({
    component: 'chromium',
    installed: chromiumPath() !== undefined,
    what: "the documentation site's rendering",
    install: 'apt-get install chromium, or set CHROMIUM_PATH',
  });
}

/** Serves `siteDir` on 127.0.0.1 (a directory answers with its index.html). */
export async function serveSite(): Promise<{ url: string; server: Server }> {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    let file = normalize(join(siteDir, path));
    if (!file.startsWith(siteDir)) return response.writeHead(403).end();
    if (file.endsWith('/')) file = join(file, 'index.html');
    try {
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** What went wrong on a page: console errors, uncaught errors, requests that left the site. */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  outsideRequests: string[];
}

export async function launch(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('chromium is not installed (apt-get install chromium)');
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath, args: ['--no-sandbox'] });
}

/** A new page that records its problems; requests beyond `siteUrl` are refused and recorded. */
export async function watchedPage(
  browser: Browser,
  siteUrl: string,
): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], outsideRequests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(String(error)));
  await page.route(
    (url) => /^(https?|wss?):/.test(url.protocol) && !url.href.startsWith(siteUrl),
    (route) => {
      problems.outsideRequests.push(route.request().url());
      return route.abort();
    },
  );
  return { page, problems };
}
