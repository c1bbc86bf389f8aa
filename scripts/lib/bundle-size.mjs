// Measures what an app pays for a package: bundle an entry with esbuild (ESM, minified, for
// browsers and Workers: no Node built-ins allowed) and gzip it.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { root } from './workspace.mjs';

/** `source` bundled with everything it imports and minified, as a Workers or browser build would. */
export async function bundleMinified(source, resolveDir = `${root}scripts`) {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].contents;
}

/** Minified and gzipped size in bytes of `source` bundled with everything it imports. */
export async function bundleSize(source, resolveDir = `${root}scripts`) {
  const code = await bundleMinified(source, resolveDir);
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

/** The app that only creates a webhook, for each client compared. */
export const CREATE_APPS = {
  'this client': `import { createRealtimeKitClient } from '@realtimekit-webhooks/client';
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
