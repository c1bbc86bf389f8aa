// The client's checks are generated from the spec; Prism validates against the same spec. For many
// generated inputs, valid and invalid, the client must accept exactly what Prism accepts.
import type {} from '@realtimekit-webhooks/mock/vitest';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { WHITESPACE_OR_CONTROL } from '../src/characters.js';
import { createRealtimeKitClient, ValidationError, WEBHOOK_EVENTS } from '../src/index.js';
import { ACCOUNT_ID, APP_ID, TEST_TOKEN } from './helpers.js';

const baseUrl = inject('realtimeKitBaseUrl');
const collection = (account = ACCOUNT_ID, app = APP_ID) =>
  `${baseUrl}/accounts/${encodeURIComponent(account)}/realtime/kit/${encodeURIComponent(app)}/webhooks`;
const ITEM_ID = '0d1f069d-43bb-489a-ad8c-7eb95592ba8e';

const rtk = createRealtimeKitClient({
  apiToken: TEST_TOKEN,
  accountId: ACCOUNT_ID,
  appId: APP_ID,
  baseUrl,
});

/** Prism's verdict on a raw request: true when it answered with the operation's success status. */
async function prismAccepts(method: string, url: string, body: unknown): Promise<boolean> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status < 300;
}

/** The client's verdict: false when it refused the input before sending. */
async function clientAccepts(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (error instanceof ValidationError) return false;
    throw error;
  }
}

const eventName = fc.oneof(
  fc.constantFrom(...WEBHOOK_EVENTS),
  fc.constantFrom('meeting.exploded', 'Meeting.started', '', 'meeting.started '),
);
const anything = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
);
const uri = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom(
    'a:b',
    'https://',
    'http://a b',
    'mailto:x@y.z',
    '//x.example',
    'x',
    '',
    'http://[::1]:8080/h',
    'https://é.example/ü',
    'http://%zz',
  ),
  fc.string({ maxLength: 12 }),
);
const fields = {
  name: fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 20 }) }, anything),
  url: fc.oneof({ weight: 4, arbitrary: uri }, anything),
  events: fc.oneof({ weight: 4, arbitrary: fc.array(eventName, { maxLength: 4 }) }, anything),
  enabled: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, anything),
};
const extra = fc.dictionary(fc.constantFrom('enable', 'id', 'secret', 'Name'), anything, {
  maxKeys: 1,
});
const withExtra = (base: Record<string, unknown>) =>
  fc.tuple(fc.constant(base), fc.oneof({ weight: 5, arbitrary: fc.constant({}) }, extra));

const fullBody = fc
  .record(fields, { requiredKeys: [] })
  .chain((base) => withExtra(base))
  .map(([base, more]) => ({ ...base, ...more }));

describe('client validation agrees with Prism', () => {
  it('on create bodies (POST /webhooks)', async () => {
    await fc.assert(
      fc.asyncProperty(fullBody, async (body) => {
        const prism = await prismAccepts('POST', collection(), body);
        const client = await clientAccepts(() => rtk.webhooks.create(body as never));
        expect({ body, client }).toEqual({ body, client: prism });
      }),
      { numRuns: 250, seed: 20261127 },
    );
  });

  it('on patch bodies (PATCH /webhooks/{id})', async () => {
    await fc.assert(
      fc.asyncProperty(fullBody, async (body) => {
        const prism = await prismAccepts('PATCH', `${collection()}/${ITEM_ID}`, body);
        const client = await clientAccepts(() => rtk.webhooks.update(ITEM_ID, body as never));
        expect({ body, client }).toEqual({ body, client: prism });
      }),
      { numRuns: 150, seed: 20261127 },
    );
  });

  it('on account ids of every length and alphabet', async () => {
    const accountId = fc.oneof(
      fc.string({ minLength: 1, maxLength: 40 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
      fc.stringMatching(/^[0-9a-f]{30,34}$/),
    );
    await fc.assert(
      fc.asyncProperty(accountId, async (id) => {
        // The client also refuses whitespace and control characters in ids (a copy-paste slip,
        // never an id), which the spec leaves open: test/hostile-input.test.ts covers those.
        fc.pre(id !== '.' && id !== '..' && !WHITESPACE_OR_CONTROL.test(id));
        const prism = await prismAccepts('GET', collection(id), undefined);
        const client = await clientAccepts(() => rtk.webhooks.list({ accountId: id }));
        expect({ id, client }).toEqual({ id, client: prism });
      }),
      { numRuns: 150, seed: 20261127 },
    );
  });

  it('on webhook ids', async () => {
    const webhookId = fc.oneof(
      fc.uuid(),
      fc.string({ minLength: 1, maxLength: 40 }),
      fc.constant(ITEM_ID.toUpperCase()),
    );
    await fc.assert(
      fc.asyncProperty(webhookId, async (id) => {
        fc.pre(id !== '.' && id !== '..' && id !== 'all' && !WHITESPACE_OR_CONTROL.test(id));
        const prism = await prismAccepts(
          'GET',
          `${collection()}/${encodeURIComponent(id)}`,
          undefined,
        );
        const client = await clientAccepts(() => rtk.webhooks.get(id));
        expect({ id, client }).toEqual({ id, client: prism });
      }),
      { numRuns: 150, seed: 20261127 },
    );
  });
});
