// The mock's one scope rule, in its store: a webhook lives in the account and app whose path made
// it, and every listing, lookup and reset by account, app or both goes through the same rule.

import { describe, expect, it } from 'vitest';
import { WebhookStore } from '../src/stateful/store.js';

const body = { name: 'n', url: 'https://a.example/x', events: ['meeting.ended' as const] };

describe('WebhookStore scopes', () => {
  it('an account and an app are two values: "a/b" + "c" is not "a" + "b/c" (ids decoded from paths may hold a slash)', () => {
    const store = new WebhookStore();
    const made = store.create(body, { accountId: 'a/b', appId: 'c' });
    expect(store.get(made.id, { accountId: 'a', appId: 'b/c' })).toBeUndefined();
    expect(store.list({ accountId: 'a', appId: 'b/c' })).toEqual([]);
    expect(store.get(made.id, { accountId: 'a/b', appId: 'c' })).toEqual(made);
  });

  it('lists and clears by account, by app, by both, or everything', () => {
    const store = new WebhookStore();
    const [one, two, three] = [
      store.create(body, { accountId: 'acc', appId: 'one' }),
      store.create(body, { accountId: 'acc', appId: 'two' }),
      store.create(body, { accountId: 'other', appId: 'one' }),
    ];
    expect(store.list({ accountId: 'acc' }).map((w) => w.id)).toEqual([one.id, two.id]);
    expect(store.list({ appId: 'one' }).map((w) => w.id)).toEqual([one.id, three.id]);
    store.clear({ accountId: 'acc', appId: 'one' });
    expect(store.list().map((w) => w.id)).toEqual([two.id, three.id]);
    store.clear();
    expect(store.list()).toEqual([]);
  });
});
