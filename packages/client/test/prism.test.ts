// Against the Prism mock of the spec (or TEST_API_BASE_URL): the real HTTP path end to end.
// Brings in the type of `inject('realtimeKitBaseUrl')`.
import type {} from '@realtimekit-webhooks/mock/vitest';
import { describe, expect, inject, it } from 'vitest';
import {
  AuthenticationError,
  createRealtimeKitClient,
  type RealtimeKitClient,
  WEBHOOK_EVENTS,
} from '../src/index.js';
import { createRawClient } from '../src/raw.js';
import { ACCOUNT_ID, APP_ID, recordingFetch, spec, specExample, TEST_TOKEN } from './helpers.js';

const baseUrl = inject('realtimeKitBaseUrl');
const ID = '0d1f069d-43bb-489a-ad8c-7eb95592ba8e';
const request = {
  name: 'billing-prod',
  url: 'https://billing.example.com/rtk',
  events: ['meeting.started' as const, 'recording.statusUpdate' as const],
};
const oneWebhook = (specExample('WebhookAllEvents') as { data: unknown }).data;
const webhookList = (specExample('WebhookList') as { data: unknown }).data;

/** A fetch to the mock that keeps every response, to read Prism's `sl-violations` header. */
function observedFetch(change: (request: Request) => Request = (r) => r) {
  const responses: Response[] = [];
  const { fetch, recorded } = recordingFetch(async (request) => {
    const response = await globalThis.fetch(change(request));
    responses.push(response.clone());
    return response;
  });
  return { fetch, recorded, responses };
}

function options(fetch: (request: Request) => Promise<Response>) {
  return { apiToken: TEST_TOKEN, accountId: ACCOUNT_ID, appId: APP_ID, baseUrl, fetch };
}

function client(fetch: (request: Request) => Promise<Response>) {
  return createRealtimeKitClient(options(fetch));
}

const operations: [string, (rtk: RealtimeKitClient) => Promise<unknown>, number, unknown][] = [
  ['create', (r) => r.webhooks.create(request), 201, oneWebhook],
  ['list', (r) => r.webhooks.list(), 200, webhookList],
  ['get', (r) => r.webhooks.get(ID), 200, oneWebhook],
  ['replace', (r) => r.webhooks.replace(ID, { ...request, enabled: false }), 200, oneWebhook],
  ['update', (r) => r.webhooks.update(ID, { enabled: false }), 200, oneWebhook],
  ['delete', (r) => r.webhooks.delete(ID), 200, oneWebhook],
  ['listEvents', (r) => r.webhooks.listEvents(), 200, [...WEBHOOK_EVENTS]],
];

describe('every operation against the mock of the spec', () => {
  it.each(operations)(
    '%s: Prism finds no violation and its example comes back parsed',
    async (_name, call, status, want) => {
      const { fetch, responses } = observedFetch();
      const result = await call(client(fetch));

      expect(responses[0]?.status).toBe(status);
      // Prism lists every way the request broke the spec (method, path, auth, body) in this header.
      expect(responses[0]?.headers.get('sl-violations')).toBeNull();
      expect(result).toEqual(want);
    },
  );

  it.each(operations)(
    '%s: a request without a token is a 401 AuthenticationError',
    async (_name, call) => {
      const { fetch, responses } = observedFetch((request) => {
        const stripped = new Request(request);
        stripped.headers.delete('authorization');
        return stripped;
      });
      const error = await call(client(fetch)).catch((e: unknown) => e);

      expect(responses[0]?.status).toBe(401);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: 401 });
      expect((error as Error).message).toMatch(/^401 Unauthorized: Unauthorized/);
    },
  );

  it('sends create exactly as the spec describes it', async () => {
    const { fetch, recorded } = observedFetch();
    await client(fetch).webhooks.create(request);
    expect(recorded.requests[0]?.method).toBe('POST');
    expect(JSON.parse(recorded.bodies[0] ?? '')).toEqual(request);
  });
});

describe("Prism's own validation of what the client would refuse", () => {
  it('rejects a create body that breaks the spec, naming each field', async () => {
    const { fetch, responses } = observedFetch();
    const result = await createRawClient(options(fetch)).POST(
      '/accounts/{account_id}/realtime/kit/{app_id}/webhooks',
      {
        params: { path: { account_id: ACCOUNT_ID, app_id: APP_ID } },
        // @ts-expect-error: `url` is missing and `events` holds an unknown event on purpose.
        body: { name: 'x', events: ['meeting.exploded'] },
      },
    );

    expect(result.response.status).toBe(400);
    expect(result.error).toEqual(
      spec.components.responses.BadRequest.content['application/json'].examples.nameRequired.value,
    );
    const violations = JSON.parse(responses[0]?.headers.get('sl-violations') ?? '[]') as {
      message: string;
    }[];
    const messages = violations.map((v) => v.message).join('\n');
    expect(messages).toContain("must have required property 'url'");
    expect(messages).toContain('property events.0 must be equal to one of the allowed values');
  });

  it('rejects a webhook id that is not a uuid', async () => {
    const { fetch, responses } = observedFetch();
    const result = await createRawClient(options(fetch)).GET(
      '/accounts/{account_id}/realtime/kit/{app_id}/webhooks/{webhook_id}',
      {
        params: { path: { account_id: ACCOUNT_ID, app_id: APP_ID, webhook_id: 'not-a-uuid' } },
      },
    );
    expect(result.response.ok).toBe(false);
    expect(responses[0]?.headers.get('sl-violations')).toContain('must match format \\"uuid\\"');
  });

  it('routes /webhooks/all to the events list, not to a webhook id', async () => {
    const { fetch, responses } = observedFetch();
    const events = await client(fetch).webhooks.listEvents();
    expect(responses[0]?.headers.get('sl-violations')).toBeNull();
    expect(events).toEqual([...WEBHOOK_EVENTS]);
  });
});
