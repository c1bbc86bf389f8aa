import { describe, expect, it } from 'vitest';
import { AuthenticationError, BadRequestError, UnexpectedResponseError } from '../src/index.js';
import {
  ACCOUNT_ID,
  APP_ID,
  json,
  recordingFetch,
  specExample,
  TEST_TOKEN,
  testClient,
} from './helpers.js';

const created = specExample('WebhookAllEvents') as { data: Record<string, unknown> };
const request = {
  name: 'billing-prod',
  url: 'https://billing.example.com/rtk',
  events: ['meeting.started', 'meeting.ended'] as const,
};

describe('webhooks.create', () => {
  it('POSTs the JSON body to the app webhooks path with the bearer token', async () => {
    const { fetch, recorded } = recordingFetch(() => json(201, created));
    const rtk = testClient({ fetch });

    await rtk.webhooks.create({ ...request, events: [...request.events] });

    expect(recorded.requests).toHaveLength(1);
    const [sent] = recorded.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe(
      `https://api.test/client/v4/accounts/${ACCOUNT_ID}/realtime/kit/${APP_ID}/webhooks`,
    );
    expect(sent?.headers.get('authorization')).toBe(`Bearer ${TEST_TOKEN}`);
    expect(sent?.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(recorded.bodies[0] ?? '')).toEqual({
      name: 'billing-prod',
      url: 'https://billing.example.com/rtk',
      events: ['meeting.started', 'meeting.ended'],
    });
  });

  it('resolves to the webhook unwrapped from the envelope', async () => {
    const { fetch } = recordingFetch(() => json(201, created));
    const webhook = await testClient({ fetch }).webhooks.create({
      ...request,
      events: [...request.events],
    });
    expect(webhook).toEqual(created.data);
  });

  it('encodes path parameters so they stay one path segment', async () => {
    const { fetch, recorded } = recordingFetch(() => json(201, created));
    await testClient({ fetch, accountId: 'acc/with?odd#chars', appId: 'a%b' }).webhooks.create({
      ...request,
      events: [...request.events],
    });
    const url = new URL(recorded.requests[0]?.url ?? '');
    expect(url.pathname).toBe(
      '/client/v4/accounts/acc%2Fwith%3Fodd%23chars/realtime/kit/a%25b/webhooks',
    );
    expect(url.search).toBe('');
    expect(url.hash).toBe('');
  });

  it('uses per-call account and app ids over the client defaults', async () => {
    const { fetch, recorded } = recordingFetch(() => json(201, created));
    await testClient({ fetch }).webhooks.create(
      { ...request, events: [...request.events] },
      { accountId: 'other-account', appId: 'other-app' },
    );
    expect(recorded.requests[0]?.url).toContain('/accounts/other-account/realtime/kit/other-app/');
  });

  it("turns the seed's 401 body into an AuthenticationError with status 401", async () => {
    const { fetch } = recordingFetch(() => json(401, '{\n  message: "Unauthorized"\n}\n'));
    const error = await testClient({ fetch })
      .webhooks.create({ ...request, events: [...request.events] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401 });
    expect((error as Error).message).toMatch(/^401 Unauthorized: Unauthorized/);
    expect((error as Error).message).toContain('Realtime Admin');
  });

  it('turns a RealtimeKit 400 envelope into a BadRequestError with its code and message', async () => {
    const body = {
      success: false,
      error: { code: 400, message: 'BAD_REQUEST: "name" is required' },
    };
    const { fetch } = recordingFetch(() => json(400, body));
    const error = await testClient({ fetch })
      .webhooks.create({ ...request, events: [...request.events] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: 400, body });
    expect((error as Error).message).toBe('400 Bad Request: BAD_REQUEST: "name" is required');
  });

  it('rejects a 201 whose body has no webhook instead of resolving to undefined', async () => {
    const { fetch } = recordingFetch(() => json(201, { success: true }));
    const error = await testClient({ fetch })
      .webhooks.create({ ...request, events: [...request.events] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error).toMatchObject({ status: 201, body: { success: true } });
  });
});
