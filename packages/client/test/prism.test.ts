// Against the Prism mock of the spec (or TEST_API_BASE_URL): the real HTTP path end to end.

// Brings in the type of `inject('realtimeKitBaseUrl')`.
import type {} from '@realtimekit-webhooks/mock/vitest';
import { describe, expect, inject, it } from 'vitest';
import { AuthenticationError, createRealtimeKitClient } from '../src/index.js';
import { ACCOUNT_ID, APP_ID, recordingFetch, specExample, TEST_TOKEN } from './helpers.js';

const baseUrl = inject('realtimeKitBaseUrl');
const request = {
  name: 'billing-prod',
  url: 'https://billing.example.com/rtk',
  events: ['meeting.started' as const, 'recording.statusUpdate' as const],
};

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

function client(fetch: (request: Request) => Promise<Response>) {
  return createRealtimeKitClient({
    apiToken: TEST_TOKEN,
    accountId: ACCOUNT_ID,
    appId: APP_ID,
    baseUrl,
    fetch,
  });
}

describe('against the mock of the spec', () => {
  it('creates a webhook: the request passes Prism validation and the 201 example comes back', async () => {
    const { fetch, recorded, responses } = observedFetch();
    const webhook = await client(fetch).webhooks.create(request);

    expect(responses[0]?.status).toBe(201);
    // Prism lists every way the request broke the spec (method, path, auth, body) in this header.
    expect(responses[0]?.headers.get('sl-violations')).toBeNull();
    expect(recorded.requests[0]?.method).toBe('POST');
    expect(JSON.parse(recorded.bodies[0] ?? '')).toEqual(request);
    expect(webhook).toEqual((specExample('WebhookAllEvents') as { data: unknown }).data);
  });

  it('surfaces the 401 for a request without a token as AuthenticationError', async () => {
    const { fetch, responses } = observedFetch((request) => {
      const stripped = new Request(request);
      stripped.headers.delete('authorization');
      return stripped;
    });
    const error = await client(fetch)
      .webhooks.create(request)
      .catch((e: unknown) => e);

    expect(responses[0]?.status).toBe(401);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401 });
    expect((error as Error).message).toContain('Unauthorized');
  });

  it('shows that Prism rejects a body that breaks the spec, naming each field', async () => {
    const { fetch, responses } = observedFetch();
    const rtk = client(fetch);
    const result = await rtk.raw.POST('/accounts/{account_id}/realtime/kit/{app_id}/webhooks', {
      params: { path: { account_id: ACCOUNT_ID, app_id: APP_ID } },
      // @ts-expect-error: `url` is missing and `events` holds an unknown event on purpose.
      body: { name: 'x', events: ['meeting.exploded'] },
    });

    expect(result.response.status).toBe(400);
    expect(result.error).toEqual({
      success: false,
      error: { code: 400, message: 'BAD_REQUEST: "name" is required' },
    });
    const violations = JSON.parse(responses[0]?.headers.get('sl-violations') ?? '[]') as {
      message: string;
    }[];
    const messages = violations.map((v) => v.message).join('\n');
    expect(messages).toContain("must have required property 'url'");
    expect(messages).toContain('property events.0 must be equal to one of the allowed values');
  });
});
