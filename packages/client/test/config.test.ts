import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRealtimeKitClient, ValidationError } from '../src/index.js';
import { json, recordingFetch, specExample, TEST_TOKEN } from './helpers.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

function constructionError(build: () => unknown): ValidationError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected construction to throw');
}

describe('createRealtimeKitClient configuration', () => {
  it('names the option and the environment variable of every missing setting', () => {
    vi.stubEnv('CLOUDFLARE_API_TOKEN', '');
    vi.stubEnv('CLOUDFLARE_ACCOUNT_ID', '');
    vi.stubEnv('REALTIMEKIT_APP_ID', '');
    const error = constructionError(() => createRealtimeKitClient({}));
    expect(error.issues.map((issue) => issue.path)).toEqual(['apiToken', 'accountId', 'appId']);
    expect(error.message).toContain('pass `apiToken` or set CLOUDFLARE_API_TOKEN');
    expect(error.message).toContain('pass `accountId` or set CLOUDFLARE_ACCOUNT_ID');
    expect(error.message).toContain('pass `appId` or set REALTIMEKIT_APP_ID');
  });

  it('falls back to the environment variables', async () => {
    vi.stubEnv('CLOUDFLARE_API_TOKEN', TEST_TOKEN);
    vi.stubEnv('CLOUDFLARE_ACCOUNT_ID', 'env-account');
    vi.stubEnv('REALTIMEKIT_APP_ID', 'env-app');
    const { fetch, recorded } = recordingFetch(() => json(201, specExample('WebhookAllEvents')));
    const rtk = createRealtimeKitClient({ baseUrl: 'https://api.test', fetch });
    await rtk.webhooks.create({ name: 'n', url: 'https://a.example/x', events: ['meeting.ended'] });
    expect(recorded.requests[0]?.url).toBe(
      'https://api.test/accounts/env-account/realtime/kit/env-app/webhooks',
    );
    expect(recorded.requests[0]?.headers.get('authorization')).toBe(`Bearer ${TEST_TOKEN}`);
  });

  it('reads the `env` option instead of process.env when it is given', async () => {
    vi.stubEnv('CLOUDFLARE_ACCOUNT_ID', 'process-account');
    const { fetch, recorded } = recordingFetch(() => json(201, specExample('WebhookAllEvents')));
    const rtk = createRealtimeKitClient({
      baseUrl: 'https://api.test',
      fetch,
      env: {
        CLOUDFLARE_API_TOKEN: TEST_TOKEN,
        CLOUDFLARE_ACCOUNT_ID: 'binding-account',
        REALTIMEKIT_APP_ID: 'binding-app',
      },
    });
    await rtk.webhooks.create({ name: 'n', url: 'https://a.example/x', events: ['meeting.ended'] });
    expect(recorded.requests[0]?.url).toBe(
      'https://api.test/accounts/binding-account/realtime/kit/binding-app/webhooks',
    );
  });

  it('with `env: {}` reads no variable, and refuses an `env` that is not an object', () => {
    vi.stubEnv('CLOUDFLARE_API_TOKEN', TEST_TOKEN);
    vi.stubEnv('CLOUDFLARE_ACCOUNT_ID', 'process-account');
    vi.stubEnv('REALTIMEKIT_APP_ID', 'process-app');
    const empty = constructionError(() => createRealtimeKitClient({ env: {} }));
    expect(empty.issues.map((issue) => issue.path)).toEqual(['apiToken', 'accountId', 'appId']);
    const wrong = constructionError(() =>
      // @ts-expect-error: a string is not an object of variables
      createRealtimeKitClient({ env: 'CLOUDFLARE_API_TOKEN=x' }),
    );
    expect(wrong.issues[0]).toEqual({
      path: 'env',
      message: 'must be an object of variables, not a string',
    });
  });

  it('defaults to the API base URL from the spec', async () => {
    const { fetch, recorded } = recordingFetch(() => json(201, specExample('WebhookAllEvents')));
    const rtk = createRealtimeKitClient({ apiToken: 't', accountId: 'a', appId: 'b', fetch });
    await rtk.webhooks.create({ name: 'n', url: 'https://a.example/x', events: ['meeting.ended'] });
    expect(recorded.requests[0]?.url).toBe(
      'https://api.cloudflare.com/client/v4/accounts/a/realtime/kit/b/webhooks',
    );
  });

  it.each([
    ['http://api.example.com', /must use https/],
    ['ftp://api.example.com', /must use https/],
    ['not-a-url', /absolute URL/],
  ])('refuses the base URL %s', (baseUrl, message) => {
    const error = constructionError(() =>
      createRealtimeKitClient({ apiToken: 't', accountId: 'a', appId: 'b', baseUrl }),
    );
    expect(error.issues).toEqual([{ path: 'baseUrl', message: expect.stringMatching(message) }]);
  });

  it.each(['http://localhost:4010', 'http://127.0.0.1:4010', 'http://[::1]:4010'])(
    'allows plain HTTP on loopback: %s',
    (baseUrl) => {
      expect(() =>
        createRealtimeKitClient({ apiToken: 't', accountId: 'a', appId: 'b', baseUrl }),
      ).not.toThrow();
    },
  );

  it('keeps the token out of the client object', () => {
    const rtk = createRealtimeKitClient({ apiToken: TEST_TOKEN, accountId: 'a', appId: 'b' });
    expect(JSON.stringify(rtk)).not.toContain(TEST_TOKEN);
    expect(inspect(rtk, { depth: 10, showHidden: true, getters: true })).not.toContain(TEST_TOKEN);
  });
});
