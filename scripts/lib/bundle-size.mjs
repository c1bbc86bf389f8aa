// Measures what an app pays for a package: bundle an entry with esbuild (ESM, minified, for
// browsers and Workers: no Node built-ins allowed) and gzip it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { root } from './workspace.mjs';

/**
 * The repo's packages resolved to their TypeScript sources instead of their built entry points
 * (one module each): what a breakdown by module is about. `stubs` maps a source path's ending
 * (`client/src/scrub.ts`) to code loaded in its place: what an app weighs without that module.
 */
function fromSources(stubs = {}) {
  return {
    name: 'workspace-sources',
    setup(builder) {
      builder.onResolve({ filter: /^@realtimekit-webhooks\// }, ({ path }) => {
        const [, name, subpath] = /^@realtimekit-webhooks\/([^/]+)(\/.+)?$/.exec(path) ?? [];
        const dir = join(root, 'packages', name);
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        const target = manifest.exports?.[subpath ? `.${subpath}` : '.']?.default;
        if (typeof target !== 'string') return undefined;
        return { path: join(dir, target.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')) };
      });
      const unused = new Set(Object.keys(stubs));
      builder.onLoad({ filter: /\.ts$/ }, ({ path }) => {
        const ending = Object.keys(stubs).find((end) => path.endsWith(end));
        if (ending === undefined) return undefined;
        unused.delete(ending);
        return { contents: stubs[ending], loader: 'ts' };
      });
      // A stand-in for a module the app no longer loads (renamed, moved) would weigh nothing.
      builder.onEnd(() => {
        if (unused.size > 0) throw new Error(`No module of the app ends with ${[...unused]}`);
      });
    },
  };
}

async function bundled(source, resolveDir, plugins = []) {
  return build({
    plugins,
    stdin: { contents: source, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
}

/** `source` bundled with everything it imports and minified, as a Workers or browser build would. */
export async function bundleMinified(source, resolveDir = `${root}scripts`) {
  return (await bundled(source, resolveDir)).outputFiles[0].contents;
}

/** The minified bytes each source module adds to the bundle of `source`, largest first. */
export async function bundleBreakdown(source, resolveDir = `${root}scripts`) {
  const { metafile } = await bundled(source, resolveDir, [fromSources()]);
  const [output] = Object.values(metafile.outputs);
  return Object.entries(output.inputs)
    .map(([file, { bytesInOutput }]) => ({
      module: file.replace(/^.*?(packages|node_modules)\//, ''),
      bytes: bytesInOutput,
    }))
    .filter(({ bytes }) => bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

/**
 * Gzipped bytes of `source` bundled from the packages' sources with each module `stubs` names
 * replaced by its stand-in (see `fromSources`).
 */
export async function gzippedWithout(stubs, source, resolveDir = `${root}scripts`) {
  const code = (await bundled(source, resolveDir, [fromSources(stubs)])).outputFiles[0].contents;
  return gzipSync(code, { level: 9 }).byteLength;
}

/** Minified and gzipped size in bytes of `source` bundled with everything it imports. */
export async function bundleSize(source, resolveDir = `${root}scripts`) {
  const code = await bundleMinified(source, resolveDir);
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

/** The app that only creates a webhook, for each client compared. */
export const CREATE_APPS = {
  // The standalone operation: the app carries create and its checks, nothing else.
  'this client, create only': `import { createRealtimeKitConnection, createWebhook } from '@realtimekit-webhooks/client/operations';
const rtk = createRealtimeKitConnection({ apiToken: 't', accountId: 'a', appId: 'b' });
export const created = await createWebhook(rtk, { name: 'n', url: 'https://a.example', events: ['meeting.started'] });`,
  // The whole client object: every operation comes along, used or not.
  'this client, rtk.webhooks': `import { createRealtimeKitClient } from '@realtimekit-webhooks/client';
const rtk = createRealtimeKitClient({ apiToken: 't', accountId: 'a', appId: 'b' });
export const created = await rtk.webhooks.create({ name: 'n', url: 'https://a.example', events: ['meeting.started'] });`,
  'bare openapi-fetch': `import createClient from 'openapi-fetch';
const client = createClient({ baseUrl: 'https://api.cloudflare.com/client/v4', headers: { Authorization: 'Bearer t' } });
export const created = await client.POST('/accounts/{account_id}/realtime/kit/{app_id}/webhooks', { params: { path: { account_id: 'a', app_id: 'b' } }, body: { name: 'n', url: 'https://a.example', events: ['meeting.started'] } });`,
};

/** The app that only verifies a delivery. */
export const RECEIVER_APP = `import { createWebhookReceiver } from '@realtimekit-webhooks/receiver';
const receiver = createWebhookReceiver();
export default { fetch: (request) => receiver.handle(request, (d) => console.log(d.event)) };`;

/** The same app with OpenTelemetry turned on (the `/otel` entry imported): what telemetry costs. */
export const RECEIVER_OTEL_APP = `import '@realtimekit-webhooks/receiver/otel';
${RECEIVER_APP}`;

/** The create-only app with OpenTelemetry turned on (the client's `/otel` entry imported). */
export const CLIENT_OTEL_APP = `import '@realtimekit-webhooks/client/otel';
${CREATE_APPS['this client, create only']}`;
