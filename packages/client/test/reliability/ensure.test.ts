// ensure() against the stateful fake: what it sends, and that racing replicas converge on one.
import { type FakeApi, startFakeApi } from '@realtimekit-webhooks/mock/fake';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRealtimeKitClient, ValidationError } from '../../src/index.js';

/** Where the client under test keeps its webhooks: account `acc`, app `app`. */
const SCOPE = { accountId: 'acc', appId: 'app' };

let fake: FakeApi;
beforeAll(async () => {
  fake = await startFakeApi();
});
afterAll(() => fake?.stop());
beforeEach(() => {
  fake.store.clear();
  fake.requests.length = 0;
});

const client = () =>
  createRealtimeKitClient({
    apiToken: 'throwaway-token',
    accountId: 'acc',
    appId: 'app',
    baseUrl: fake.baseUrl,
  });
const desired = {
  name: 'billing-prod',
  url: 'https://billing.example.com/rtk',
  events: ['meeting.started' as const, 'meeting.ended' as const],
};
const writes = () => fake.requests.filter((r) => r.method !== 'GET').map((r) => r.method);

describe('webhooks.ensure', () => {
  it('creates the webhook when none has the name', async () => {
    const result = await client().webhooks.ensure(desired);
    expect(result.action).toBe('created');
    expect(result.webhook).toMatchObject({ ...desired, enabled: true });
    expect(result.duplicates).toEqual([]);
    expect(fake.store.list()).toEqual([result.webhook]);
  });

  it('sends nothing when it already matches, whatever the order of events', async () => {
    const existing = fake.store.create(
      {
        ...desired,
        events: ['meeting.ended', 'meeting.started'],
      },
      SCOPE,
    );
    const result = await client().webhooks.ensure(desired);
    expect(result).toEqual({ action: 'unchanged', webhook: existing, duplicates: [] });
    expect(writes()).toEqual([]);
  });

  it('replaces it when it differs', async () => {
    const existing = fake.store.create({ ...desired, url: 'https://old.example.com/rtk' }, SCOPE);
    const result = await client().webhooks.ensure(desired);
    expect(result.action).toBe('updated');
    expect(result.webhook).toMatchObject({ id: existing.id, url: desired.url });
    expect(writes()).toEqual(['PUT']);
    expect(fake.store.list()).toHaveLength(1);
  });

  it('keeps the oldest of several with the name and reports the rest', async () => {
    const oldest = fake.store.create(desired, SCOPE);
    const newer = fake.store.create(desired, SCOPE);
    fake.store.create({ ...desired, name: 'other' }, SCOPE);
    const result = await client().webhooks.ensure(desired);
    expect(result.action).toBe('unchanged');
    expect(result.webhook.id).toBe(oldest.id);
    expect(result.duplicates.map((w) => w.id)).toEqual([newer.id]);
    expect(fake.store.list()).toHaveLength(3);
  });

  it('deletes the duplicates with pruneDuplicates', async () => {
    const oldest = fake.store.create(desired, SCOPE);
    fake.store.create(desired, SCOPE);
    fake.store.create(desired, SCOPE);
    const result = await client().webhooks.ensure(desired, { pruneDuplicates: true });
    expect(result.duplicates).toHaveLength(2);
    expect(fake.store.list().map((w) => w.id)).toEqual([oldest.id]);
    expect(writes()).toEqual(['DELETE', 'DELETE']);
  });

  it('refuses an invalid desired webhook before sending anything', async () => {
    const error = await client()
      .webhooks.ensure({ ...desired, url: 'nope' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(fake.requests).toEqual([]);
  });

  it('10 replicas ensuring at the same moment leave exactly one webhook', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => client().webhooks.ensure(desired)),
    );
    const stored = fake.store.list();
    expect(stored).toHaveLength(1);
    // Every replica reports the same survivor, and exactly one says it created it.
    expect(new Set(results.map((r) => r.webhook.id))).toEqual(new Set([stored[0]?.id]));
    expect(results.filter((r) => r.action === 'created')).toHaveLength(1);
    expect(results.filter((r) => r.action === 'unchanged')).toHaveLength(9);
  });

  it('10 racing replicas converge again when one already exists with another url', async () => {
    fake.store.create({ ...desired, url: 'https://old.example.com/rtk' }, SCOPE);
    await Promise.all(Array.from({ length: 10 }, () => client().webhooks.ensure(desired)));
    expect(fake.store.list()).toEqual([expect.objectContaining({ url: desired.url })]);
  });
});
