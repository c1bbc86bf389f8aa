// Bad input is refused before anything is sent, with an issue per bad field.
import { describe, expect, it } from 'vitest';
import {
  createRealtimeKitClient,
  type RealtimeKitClient,
  ValidationError,
  type ValidationIssue,
} from '../src/index.js';
import { json, recordingFetch, specExample, testClient } from './helpers.js';

const ID = '0d1f069d-43bb-489a-ad8c-7eb95592ba8e';
const valid = { name: 'n', url: 'https://a.example/x', events: ['meeting.ended'] };

// Calls are made through `unknown` on purpose: these inputs are what the types already forbid,
// arriving from JavaScript, JSON files or `as any`.
const loose = (rtk: RealtimeKitClient) =>
  rtk.webhooks as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

const table: [string, (rtk: RealtimeKitClient) => Promise<unknown>, ValidationIssue[]][] = [
  [
    'create without url and events',
    (r) => loose(r).create?.({ name: 'n' }) as Promise<unknown>,
    [
      { path: 'body.events', message: 'is required' },
      { path: 'body.url', message: 'is required' },
    ],
  ],
  [
    'create with an unknown event',
    (r) =>
      loose(r).create?.({
        ...valid,
        events: ['meeting.started', 'meeting.exploded'],
      }) as Promise<unknown>,
    [
      {
        path: 'body.events[1]',
        message: expect.stringMatching(
          /^must be one of meeting\.started, .*meeting\.summary \(got "meeting\.exploded"\)$/,
        ),
      },
    ],
  ],
  [
    'create with a url that is not a URI, without echoing it',
    (r) => loose(r).create?.({ ...valid, url: 'not a url?token=s3cr3t' }) as Promise<unknown>,
    [{ path: 'body.url', message: 'must be an absolute URI such as https://example.com/webhooks' }],
  ],
  [
    'create with a misspelt field',
    (r) => loose(r).create?.({ ...valid, enable: true }) as Promise<unknown>,
    [
      {
        path: 'body.enable',
        message: 'is not a known field (expected one of events, name, url, enabled)',
      },
    ],
  ],
  [
    'create with wrong types',
    (r) =>
      loose(r).create?.({
        name: 5,
        url: 'https://a.example',
        events: 'meeting.ended',
        enabled: 'yes',
      }) as Promise<unknown>,
    [
      { path: 'body.name', message: 'must be a string (got number)' },
      { path: 'body.events', message: 'must be an array (got string)' },
      { path: 'body.enabled', message: 'must be a boolean (got string)' },
    ],
  ],
  [
    'create with no body',
    (r) => loose(r).create?.() as Promise<unknown>,
    [{ path: 'body', message: 'must be an object (got undefined)' }],
  ],
  [
    'update with an unknown field',
    (r) => loose(r).update?.(ID, { paused: true }) as Promise<unknown>,
    [
      {
        path: 'body.paused',
        message: 'is not a known field (expected one of events, name, url, enabled)',
      },
    ],
  ],
  [
    'replace with a partial body',
    (r) => loose(r).replace?.(ID, { enabled: false }) as Promise<unknown>,
    [
      { path: 'body.events', message: 'is required' },
      { path: 'body.name', message: 'is required' },
      { path: 'body.url', message: 'is required' },
    ],
  ],
  [
    'get with an id that is not a uuid',
    (r) => r.webhooks.get('all'),
    [{ path: 'webhookId', message: 'must be a UUID such as 0d1f069d-43bb-489a-ad8c-7eb95592ba8e' }],
  ],
  [
    'delete with a path-changing id',
    (r) => r.webhooks.delete('../../webhooks'),
    [{ path: 'webhookId', message: expect.stringMatching(/^must be a UUID/) }],
  ],
  [
    'a per-call accountId over 32 characters',
    (r) => r.webhooks.list({ accountId: 'a'.repeat(33) }),
    [{ path: 'accountId', message: 'must be at most 32 characters (got 33)' }],
  ],
  [
    'a per-call appId that is ".."',
    (r) => r.webhooks.list({ appId: '..' }),
    [{ path: 'appId', message: 'must not be empty, "." or ".."' }],
  ],
  [
    'a per-call empty accountId',
    (r) => r.webhooks.listEvents({ accountId: '' }),
    [{ path: 'accountId', message: 'must not be empty, "." or ".."' }],
  ],
];

table.push(
  [
    'a per-call timeoutMs that is negative',
    (r) => r.webhooks.list({ timeoutMs: -5 }),
    [
      {
        path: 'timeoutMs',
        message: 'must be a positive number of milliseconds, at most 2147483647',
      },
    ],
  ],
  [
    'a per-call timeoutMs longer than a timer holds (it would fire at once)',
    (r) => r.webhooks.list({ timeoutMs: 2_147_483_648 }),
    [
      {
        path: 'timeoutMs',
        message: 'must be a positive number of milliseconds, at most 2147483647',
      },
    ],
  ],
  [
    'a per-call maxRetries that is not whole',
    (r) => r.webhooks.list({ maxRetries: 1.5 }),
    [{ path: 'maxRetries', message: 'must be a whole number, 0 or more' }],
  ],
);

describe('input validation', () => {
  it.each(table)('%s: ValidationError, nothing sent', async (_name, call, issues) => {
    const { fetch, recorded } = recordingFetch(() => json(200, specExample('WebhookAllEvents')));
    const error = await call(testClient({ fetch })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual(issues);
    for (const issue of issues) expect((error as Error).message).toContain(issue.path);
    expect(recorded.requests).toHaveLength(0);
  });

  it('counts characters as code points, like the API validator', async () => {
    const { fetch, recorded } = recordingFetch(() => json(200, { data: [], success: true }));
    // 32 emoji are 64 UTF-16 units but 32 characters: allowed.
    await testClient({ fetch }).webhooks.list({ accountId: '😀'.repeat(32) });
    expect(recorded.requests).toHaveLength(1);
  });

  it('accepts undefined optional fields (JSON drops them)', async () => {
    const { fetch, recorded } = recordingFetch(() => json(201, specExample('WebhookAllEvents')));
    await testClient({ fetch }).webhooks.create({
      name: 'n',
      url: 'https://a.example/x',
      events: ['meeting.ended'],
      enabled: undefined as unknown as boolean,
    });
    expect(JSON.parse(recorded.bodies[0] ?? '')).toEqual({
      name: 'n',
      url: 'https://a.example/x',
      events: ['meeting.ended'],
    });
  });

  it.each([
    ['accountId', { accountId: 'x'.repeat(33) }, 'must be at most 32 characters (got 33)'],
    ['appId', { appId: '.' }, 'must not be empty, "." or ".."'],
    [
      'timeoutMs',
      { timeoutMs: 0 },
      'must be a positive number of milliseconds, at most 2147483647',
    ],
    ['maxRetries', { maxRetries: -1 }, 'must be a whole number, 0 or more'],
  ])('refuses a bad %s at construction', (path, override, message) => {
    let error: unknown;
    try {
      createRealtimeKitClient({ apiToken: 't', accountId: 'a', appId: 'b', ...override });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path, message }]);
  });
});
