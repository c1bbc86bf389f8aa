// What each guard weighs in the two measured apps: the app bundled from the sources with the
// guard's module replaced by a stand-in that does the job without the guard (no check, no
// scrubbing, ...), and gzipped. Printed by `pnpm bench` under a missed size target, so a choice
// between bytes and a guard is made from numbers. The stand-ins are never shipped.

import { gzippedWithout } from './bundle-size.mjs';

/** The create-only app's guards, each with the stand-ins of its modules. */
export const CLIENT_GUARDS = {
  'the token scrubbed from errors (scrub.ts)': {
    'client/src/scrub.ts':
      'export const scrubberFor = () => (text) => text; export const scrubError = (error) => error;',
  },
  'API error messages read from the error body (error-body.ts)': {
    'client/src/error-body.ts':
      'export const describeErrorBody = () => ({ code: undefined, detail: undefined });',
  },
  'input checked against the spec before sending (input-checks.ts, the schema checker, schemas)': {
    'client/src/input-checks.ts': `export const limitIssues = () => [];
export const pathIssues = () => [];
export function assertValidInput(method, operation, options, id, body) {
  return body && { json: JSON.stringify(body.value), sent: body.value };
}`,
  },
  'the duplicate-safe create (safe-create.ts)': {
    'client/src/safe-create.ts': `import { unwrapWebhook } from './envelope.js';
import { request } from './request.js';
export const createWithoutDuplicates = async (connection, post, desired, settings) =>
  unwrapWebhook(await request(connection, post, { ...settings, maxRetries: 0 }));`,
  },
  'the client options checked, and read from the environment (config.ts)': {
    'client/src/config.ts': `import { API_BASE_URL } from '@realtimekit-webhooks/rules';
import { authorize } from './request.js';
export function connect(options) {
  const connection = { baseUrl: options.baseUrl ?? API_BASE_URL, accountId: options.accountId,
    appId: options.appId, fetch: options.fetch ?? ((r) => globalThis.fetch(r)),
    timeoutMs: options.timeoutMs ?? 60000, maxRetries: options.maxRetries ?? 2, backoff: {},
    maxResponseBytes: 16777216, scrub: (text) => text, observability: {} };
  return authorize(connection, options.apiToken);
}`,
  },
};

/** The handle-only Worker's guards. */
export const RECEIVER_GUARDS = {
  'payloads checked against their delivery schemas (payload-check.ts, the checker, schemas)': {
    'receiver/src/payload-check.ts': 'export const payloadIssues = () => [];',
  },
  'deliveries bound to this app (urlSecret, webhookIds, organizationIds: app-binding.ts)': {
    'receiver/src/app-binding.ts': 'export const appBinding = () => undefined;',
  },
  'a broken key named and explained (pem.ts)': {
    'receiver/src/pem.ts': `export function parsePem(text) {
  const base64 = text.replace(/-----[^-]+-----|\\s/g, '');
  return { der: Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)) };
}`,
  },
};

/**
 * Gzipped bytes of `app` whole and without all of `guards` at once, and the bytes each guard adds
 * (the app whole minus the app without that one).
 */
export async function guardWeights(app, guards) {
  const whole = await gzippedWithout({}, app);
  const weights = {};
  for (const [guard, stubs] of Object.entries(guards)) {
    weights[guard] = whole - (await gzippedWithout(stubs, app));
  }
  const withoutAll = await gzippedWithout(Object.assign({}, ...Object.values(guards)), app);
  return { whole, weights, withoutAll };
}

/** `guardWeights` as lines of the bench report, under a missed size target. */
export function guardWeightLines({ whole, weights, withoutAll }) {
  return [
    `  - what its guards weigh (the app without each, bundled from the sources: ${whole} B):`,
    ...Object.entries(weights).map(([guard, bytes]) => `    - ${bytes} B gzipped: ${guard}`),
    `    - without all ${Object.keys(weights).length} at once: ${withoutAll} B gzipped`,
  ];
}
