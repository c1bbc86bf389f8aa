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

describe("a webhook's URL secret stays secret too", () => {
  const SECRET = 'url-secret-0123456789abcdef';
  const withSecret = { ...valid, url: `https://billing.example.com/rtk?rtk_secret=${SECRET}&v=2` };
  // How an API or a proxy may quote the URL it was sent: as is, percent-encoded, HTML-escaped,
  // with `;` separators, JSON-escaped.
  const spellings: [string, (url: string) => string][] = [
    ['as sent', (url) => url],
    ['percent-encoded', (url) => encodeURIComponent(url)],
    ['HTML-escaped', (url) => url.replaceAll('&', '&amp;')],
    ['with ; separators', (url) => url.replace('?', ';').replaceAll('&', ';')],
    [
      'JSON-escaped',
      (url) => url.replace('?', '\\u003f').replaceAll('&', '\\u0026').replace('=', '\\u003d'),
    ],
  ];

  it.each(spellings)('an error quoting the URL %s never shows the secret', async (_name, spell) => {
    const error = await testClient({
      fetch: async () =>
        json(400, {
          success: false,
          error: {
            code: 400,
            message: `BAD_REQUEST: "url" ${spell(withSecret.url)} is not allowed`,
          },
        }),
    })
      .webhooks.create(withSecret)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'BadRequestError', status: 400 });
    for (const text of everyRendering(error)) expect(text).not.toContain(SECRET);
    // The rest of the message stays readable.
    expect((error as Error).message).toContain('rtk_secret');
    expect((error as Error).message).toContain('is not allowed');
  });

  it('a conflict that echoes the whole body keeps the secret out of the error body', async () => {
    const error = await testClient({
      fetch: async (request) => json(409, { echoed: JSON.parse(await request.text()) }),
    })
      .webhooks.replace('0d1f069d-43bb-489a-ad8c-7eb95592ba8e', withSecret)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConflictError' });
    expect(JSON.stringify((error as { body: unknown }).body)).toContain('rtk_secret=***');
    for (const text of everyRendering(error)) expect(text).not.toContain(SECRET);
  });
});
