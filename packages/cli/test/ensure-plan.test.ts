// ensure's plan is pure: from the file's entries and the webhooks listed once, what each entry
// needs and which webhooks --prune deletes, with nothing sent.
import type { Webhook } from '@realtimekit-webhooks/client';
import { describe, expect, it } from 'vitest';
import { planFile } from '../src/ensure-command.js';

const webhook = (
  name: string,
  id: string,
  created: string,
  url = 'https://a.example/x',
): Webhook => ({
  id,
  name,
  url,
  events: ['meeting.ended'],
  enabled: true,
  created_at: created,
  updated_at: created,
});

describe('planFile', () => {
  const existing = [
    webhook('billing', '00000000-0000-4000-8000-000000000002', '2026-01-02T00:00:00.000Z'),
    webhook('billing', '00000000-0000-4000-8000-000000000001', '2026-01-01T00:00:00.000Z'),
    webhook('old', '00000000-0000-4000-8000-000000000003', '2026-01-01T00:00:00.000Z'),
  ];
  const wanted = [
    { name: 'billing', url: 'https://b.example/y', events: ['meeting.ended' as const] },
    { name: 'new', url: 'https://a.example/x', events: ['meeting.ended' as const] },
  ];

  it('plans each entry against the oldest of its name, and lists the strays only with --prune', () => {
    const plan = planFile(wanted, existing, true);
    expect(
      plan.entries.map(({ plan: p }) => [p.action, p.webhook?.id, p.duplicates.map((d) => d.id)]),
    ).toEqual([
      ['updated', '00000000-0000-4000-8000-000000000001', ['00000000-0000-4000-8000-000000000002']],
      ['created', undefined, []],
    ]);
    expect(plan.strays.map((w) => w.name)).toEqual(['old']);
    expect(planFile(wanted, existing, false).strays).toEqual([]);
  });
});
