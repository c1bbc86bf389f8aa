// Size budgets (sizes only: timings belong to `pnpm bench`). Raise a budget only with a reason.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleSize, CREATE_APPS, RECEIVER_APP } from '../lib/bundle-size.mjs';
import { root } from '../lib/workspace.mjs';

const BUDGET = {
  /** An app that creates a webhook with the client, validation included, gzipped. */
  clientCreateGzip: 8_600,
  /**
   * An app that verifies deliveries with the receiver, gzipped. 4,984 B when set: the delivery
   * schemas and their checker (so a payload is typed only when it matches) are about 2.5 kB of it.
   */
  receiverGzip: 5_200,
};

describe('bundle budgets', () => {
  it(`an app that creates a webhook stays under ${BUDGET.clientCreateGzip} B gzipped`, async () => {
    const { gzipped } = await bundleSize(CREATE_APPS['this client']);
    expect(gzipped).toBeLessThanOrEqual(BUDGET.clientCreateGzip);
  });

  it(`an app that verifies deliveries stays under ${BUDGET.receiverGzip} B gzipped`, async () => {
    const { gzipped } = await bundleSize(RECEIVER_APP);
    expect(gzipped).toBeLessThanOrEqual(BUDGET.receiverGzip);
  });
});

/** Names of every package `name` pulls in at run time, resolved from `fromDir`. */
function productionClosure(
  name: string,
  fromDir: string,
  found = new Map<string, string>(),
): Map<string, string> {
  const require = createRequire(join(fromDir, 'noop.js'));
  const manifestPath = require.resolve(`${name}/package.json`);
  if (found.has(name)) return found;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  found.set(name, manifest.version);
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    productionClosure(dependency, dirname(manifestPath), found);
  }
  return found;
}

describe('the client installs almost nothing', () => {
  it("depends at run time only on openapi-fetch (and its helper types) and this repo's packages", () => {
    const closure = productionClosure('@realtimekit-webhooks/client', join(root, 'scripts'));
    const foreign = [...closure.keys()].filter(
      (name) => !name.startsWith('@realtimekit-webhooks/'),
    );
    expect(foreign.sort()).toEqual(['openapi-fetch', 'openapi-typescript-helpers']);
    const direct = Object.keys(
      JSON.parse(readFileSync(join(root, 'packages/client/package.json'), 'utf8')).dependencies,
    );
    expect(direct.sort()).toEqual(['@realtimekit-webhooks/types', 'openapi-fetch']);
  });
});
