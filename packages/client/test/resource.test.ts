// Every method of `webhooks`, through a passed-in fetch: exactly what is sent, and what comes back.
import { describe, expect, it } from 'vitest';
import type { RealtimeKitClient } from '../src/index.js';
import { ACCOUNT_ID, APP_ID, json, recordingFetch, specExample, testClient } from './helpers.js';

const one = specExample('WebhookAllEvents') as { data: { id: string } };
const many = specExample('WebhookList') as { data: unknown[] };
const ID = one.data.id;
const APP = `https://api.test/client/v4/accounts/${ACCOUNT_ID}/realtime/kit/${APP_ID}/webhooks`;
const body = { name: 'n', url: 'https://a.example/x', events: ['meeting.ended' as const] };

type Case = {
  call: (rtk: RealtimeKitClient) => Promise<unknown>;
  method: string;
  url: string;
  sent: unknown;
  answer: unknown;
  want: unknown;
};

const cases: [string, Case][] = [
  [
    'create',
    {
      call: (r) => r.webhooks.create(body),
      method: 'POST',
      url: APP,
      sent: body,
      answer: one,
      want: one.data,
    },
  ],
  [
    'list',
    {
      call: (r) => r.webhooks.list(),
      method: 'GET',
      url: APP,
      sent: undefined,
      answer: many,
      want: many.data,
    },
  ],
  [
    'get',
    {
      call: (r) => r.webhooks.get(ID),
      method: 'GET',
      url: `${APP}/${ID}`,
      sent: undefined,
      answer: one,
      want: one.data,
    },
  ],
  [
    'replace',
    {
      call: (r) => r.webhooks.replace(ID, { ...body, enabled: false }),
      method: 'PUT',
      url: `${APP}/${ID}`,
      sent: { ...body, enabled: false },
      answer: one,
      want: one.data,
    },
  ],
  [
    'update',
    {
      call: (r) => r.webhooks.update(ID, { enabled: false }),
      method: 'PATCH',
      url: `${APP}/${ID}`,
      sent: { enabled: false },
      answer: one,
      want: one.data,
    },
  ],
  [
    'delete',
    {
      call: (r) => r.webhooks.delete(ID),
      method: 'DELETE',
      url: `${APP}/${ID}`,
      sent: undefined,
      answer: one,
      want: one.data,
    },
  ],
  [
    'listEvents',
    {
      call: (r) => r.webhooks.listEvents(),
      method: 'GET',
      url: `${APP}/all`,
      sent: undefined,
      answer: { data: ['meeting.started', 'meeting.someday'], success: true },
      want: ['meeting.started', 'meeting.someday'],
    },
  ],
];

describe.each(cases)('webhooks.%s', (_name, { call, method, url, sent, answer, want }) => {
  it(`sends ${method} to the right URL with the right body, and unwraps the envelope`, async () => {
    const { fetch, recorded } = recordingFetch(() => json(200, answer));
    const result = await call(testClient({ fetch }));

    expect(recorded.requests).toHaveLength(1);
    expect(recorded.requests[0]?.method).toBe(method);
    expect(recorded.requests[0]?.url).toBe(url);
    expect(recorded.requests[0]?.headers.get('authorization')).toMatch(/^Bearer /);
    if (sent === undefined) expect(recorded.bodies[0]).toBe('');
    else expect(JSON.parse(recorded.bodies[0] ?? '')).toEqual(sent);
    expect(result).toEqual(want);
  });
});
