// The token must never be readable from an error, however the error is printed.
import { describe, expect, it } from 'vitest';
import { createRealtimeKitClient } from '../src/index.js';
import { everyRendering, json, TEST_TOKEN, testClient } from './helpers.js';

const valid = { name: 'n', url: 'https://a.example/x', events: ['meeting.ended' as const] };

const failures: [string, () => Promise<unknown>][] = [
  [
    'an API error',
    () =>
      testClient({ fetch: async () => json(401, { message: `bad token ${'x'}` }) }).webhooks.create(
        valid,
      ),
  ],
  [
    'an API error that echoes the request',
    () =>
      testClient({
        fetch: async (r) => json(400, { message: 'no', headers: Object.fromEntries(r.headers) }),
      }).webhooks.create(valid),
  ],
  [
    'a connection error',
    () =>
      testClient({
        fetch: async () => {
          throw new TypeError('fetch failed');
        },
      }).webhooks.list({ maxRetries: 0 }),
  ],
  [
    'a timeout',
    () =>
      testClient({
        timeoutMs: 5,
        fetch: (r) =>
          new Promise((_, reject) =>
            r.signal.addEventListener('abort', () => reject(r.signal.reason)),
          ),
      }).webhooks.list({ maxRetries: 0 }),
  ],
  ['a validation error', () => testClient().webhooks.get('not-a-uuid')],
  [
    'a construction error',
    async () =>
      createRealtimeKitClient({
        apiToken: TEST_TOKEN,
        accountId: '',
        appId: 'b',
        baseUrl: 'http://example.com',
      }),
  ],
];

describe('the token stays secret', () => {
  it.each(failures)('%s never shows the token', async (_name, fail) => {
    const error = await fail().then(
      () => {
        throw new Error('expected a failure');
      },
      (e: unknown) => e,
    );
    for (const text of everyRendering(error)) expect(text).not.toContain(TEST_TOKEN);
  });
});

describe('redaction of echoed tokens', () => {
  it('keeps the rest of an echoing body readable', async () => {
    const error = await testClient({
      fetch: async (r) => json(400, { message: 'no', echoed: r.headers.get('authorization') }),
    })
      .webhooks.create(valid)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ body: { message: 'no', echoed: 'Bearer [redacted]' } });
  });
});
