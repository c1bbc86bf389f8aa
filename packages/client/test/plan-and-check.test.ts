// The two pure helpers the CLI builds on: what ensure() would do, and a dry check of a request.
import { describe, expect, it } from 'vitest';
import { checkWebhookRequest, planEnsure, type Webhook } from '../src/index.js';

const desired = { name: 'a', url: 'https://a.example/x', events: ['meeting.ended' as const] };
const webhook = (id: string, created: string, fields: Partial<Webhook> = {}): Webhook => ({
  id,
  created_at: created,
  updated_at: created,
  enabled: true,
  ...desired,
  events: [...desired.events],
  ...fields,
});

describe('planEnsure', () => {
  it.each([
    [
      'nothing with the name',
      [webhook('1', '2026-01-01T00:00:00Z', { name: 'b' })],
      'created',
      undefined,
      [],
    ],
    ['an identical one', [webhook('1', '2026-01-01T00:00:00Z')], 'unchanged', '1', []],
    [
      'one with another url',
      [webhook('1', '2026-01-01T00:00:00Z', { url: 'https://b.example' })],
      'updated',
      '1',
      [],
    ],
    [
      'one disabled',
      [webhook('1', '2026-01-01T00:00:00Z', { enabled: false })],
      'updated',
      '1',
      [],
    ],
    [
      'two: the oldest is kept',
      [webhook('2', '2026-01-02T00:00:00Z'), webhook('1', '2026-01-01T00:00:00Z')],
      'unchanged',
      '1',
      ['2'],
    ],
    [
      'a tie on created_at: the smaller id is kept',
      [webhook('b', '2026-01-01T00:00:00Z'), webhook('a', '2026-01-01T00:00:00Z')],
      'unchanged',
      'a',
      ['b'],
    ],
  ] as const)('%s', (_name, existing, action, keptId, duplicateIds) => {
    const plan = planEnsure(desired, existing);
    expect(plan.action).toBe(action);
    expect(plan.webhook?.id).toBe(keptId);
    expect(plan.duplicates.map((w) => w.id)).toEqual(duplicateIds);
  });
});

describe('checkWebhookRequest', () => {
  it('returns no issue for a valid request and every issue for a bad one', () => {
    expect(checkWebhookRequest(desired)).toEqual([]);
    expect(checkWebhookRequest({ name: 'a', events: ['nope'], extra: 1 })).toEqual([
      { path: 'body.url', message: 'is required' },
      { path: 'body.events[0]', message: expect.stringMatching(/^must be one of /) },
      { path: 'body.extra', message: expect.stringMatching(/^is not a known field/) },
    ]);
  });
});
