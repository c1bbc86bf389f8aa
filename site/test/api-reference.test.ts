// The API reference, opened in Chromium: every operation and every delivery event of the spec is
// rendered with its method, path, responses and example, with no console error and no request
// beyond the site. Screenshots are saved under test-artifacts/ (CI uploads them).
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { specPath } from '@realtimekit-webhooks/spec';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  artifactsDir,
  chromiumForTests,
  launch,
  type PageProblems,
  serveSite,
  watchedPage,
} from './browser.js';

const spec = parse(readFileSync(specPath, 'utf8'));
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

interface Operation {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  tag: string;
  statuses: string[];
}

const operations: Operation[] = Object.entries(spec.paths).flatMap(([path, item]) =>
  METHODS.filter((method) => (item as Record<string, unknown>)[method]).map((method) => {
    const op = (item as Record<string, Record<string, unknown>>)[method] as {
      operationId: string;
      summary: string;
      tags: string[];
      responses: Record<string, unknown>;
    };
    return {
      operationId: op.operationId,
      method: method.toUpperCase(),
      path,
      summary: op.summary,
      tag: op.tags[0] ?? '',
      statuses: Object.keys(op.responses),
    };
  }),
);

const events = Object.entries(spec.webhooks).map(([event, item]) => {
  const post = (item as { post: Record<string, unknown> }).post as {
    operationId: string;
    summary: string;
    tags: string[];
  };
  return { event, operationId: post.operationId, summary: post.summary, tag: post.tags[0] ?? '' };
});

/** Redoc's route to an operation: its tag and operationId, as Redoc spells them in links. */
const routeOf = (tag: string, operationId: string) =>
  `#/${tag.toLowerCase().replaceAll(' ', '-')}/${operationId.toLowerCase()}`;

const run = chromiumForTests();
let browser: Browser;
let site: { url: string; server: Server };
// One page for every route, as a reader clicking through the sidebar would have: only the
// fragment changes, so the 2.5 MB page is parsed once.
let page: Page;
let problems: PageProblems;

beforeAll(async () => {
  if (!run) return;
  mkdirSync(artifactsDir, { recursive: true });
  [browser, site] = await Promise.all([launch(), serveSite()]);
  ({ page, problems } = await watchedPage(browser, site.url));
  await page.goto(`${site.url}/api/`);
  await page.waitForSelector('#api-content');
});
afterAll(async () => {
  await browser?.close();
  site?.server.close();
});

async function openAt(route: string): Promise<Page> {
  await page.goto(`${site.url}/api/${route}`);
  return page;
}

/** The text of the reference's content once it holds `expected`. */
async function contentWith(page: Page, expected: string): Promise<string> {
  await page.waitForFunction(
    (needle) => document.querySelector('#api-content')?.textContent?.includes(needle),
    expected,
    { timeout: 15_000 },
  );
  // biome-ignore lint/performance/useDomNodeTextContent: what a reader sees, with the line break between a method and its path, is what is asserted
  return page.locator('#api-content').innerText();
}

function expectNoProblems() {
  expect(problems).toEqual({ consoleErrors: [], pageErrors: [], outsideRequests: [] });
}

describe.skipIf(!run)('the API reference in Chromium', () => {
  it('opens on the overview, with the spec title and every tag in the sidebar', async () => {
    const page = await openAt('');
    const text = await contentWith(page, spec.info.title);
    expect(text).toContain(spec.info.version);
    const sidebar = (await page.locator('body').textContent()) ?? '';
    for (const tag of spec.tags as { name: string }[]) expect(sidebar).toContain(tag.name);
    await page.screenshot({ path: join(artifactsDir, 'api-reference.png') });
    expectNoProblems();
  });

  it.each(operations.map((op) => [op.operationId, op] as const))(
    'renders operation %s: summary, method and path, every response',
    async (_id, op) => {
      const page = await openAt(routeOf(op.tag, op.operationId));
      const text = await contentWith(page, op.summary);
      const section = text.slice(text.indexOf(op.summary));
      expect(section).toContain(`${op.method}\n${op.path}`);
      const responses = section.slice(section.indexOf('Responses'));
      for (const status of op.statuses) expect(responses).toContain(status);
      expect(
        await page.locator(`a[href="${routeOf(op.tag, op.operationId)}"]`).count(),
      ).toBeGreaterThan(0);
      if (op.operationId === 'addWebhook') {
        await page.screenshot({ path: join(artifactsDir, 'operation-addWebhook.png') });
      }
      expectNoProblems();
    },
  );

  it.each(events.map((e) => [e.event, e] as const))(
    'renders delivery %s: its payload fields and example',
    async (_event, delivery) => {
      const page = await openAt(routeOf(delivery.tag, delivery.operationId));
      const text = await contentWith(page, delivery.summary);
      const section = text.slice(text.indexOf(delivery.summary));
      expect(section).toContain(`POST\n${delivery.event}`);
      // The example payload is shown: its `event` field carries the event name in quotes.
      expect(section).toContain(`"event": "${delivery.event}"`);
      expectNoProblems();
    },
  );
});
