// The standalone operations (`@realtimekit-webhooks/client/operations`): the same requests as
// `rtk.webhooks`, over a connection that holds no token, and an ensure that checks the ids the
// API hands back before they go into a path.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/index.js';
import {
  createRealtimeKitConnection,
  createWebhook,
  deleteWebhook,
  ensureWebhook,
  getWebhook,
  listWebhookEvents,
  listWebhooks,
  replaceWebhook,
  updateWebhook,
} from '../src/operations.js';
import {
  ACCOUNT_ID,
  APP_ID,
  json,
  recordingFetch,
  specExample,
  TEST_TOKEN,
  testClient,
  testOptions,
} from './helpers.js';

const one = specExample('WebhookAllEvents') as { data: { id: string } };
const ID = one.data.id;
const body = { name: 'n', url: 'https://a.example/x', events: ['meeting.ended' as const] };

describe('standalone operations', () => {
  it('send exactly what the client methods send', async () => {
    const asFunctions = recordingFetch(() => json(200, one));
    const asMethods = recordingFetch(() => json(200, one));
    const connection = createRealtimeKitConnection(testOptions({ fetch: asFunctions.fetch }));
    const { webhooks } = testClient({ fetch: asMethods.fetch });
    await createWebhook(connection, body);
    await webhooks.create(body);
    await getWebhook(connection, ID);
    await webhooks.get(ID);
    await replaceWebhook(connection, ID, body);
    await webhooks.replace(ID, body);
    await updateWebhook(connection, ID, { enabled: false });
    await webhooks.update(ID, { enabled: false });
    await deleteWebhook(connection, ID);
    await webhooks.delete(ID);
    const seen = (recorded: typeof asFunctions.recorded) =>
      recorded.requests.map((request, i) => [
        request.method,
        request.url,
        request.headers.get('authorization'),
        recorded.bodies[i],
      ]);
    expect(seen(asFunctions.recorded)).toEqual(seen(asMethods.recorded));
    expect(seen(asFunctions.recorded)[0]).toEqual([
      'POST',
      `https://api.test/client/v4/accounts/${ACCOUNT_ID}/realtime/kit/${APP_ID}/webhooks`,
      `Bearer ${TEST_TOKEN}`,
      JSON.stringify(body),
    ]);
  });

  it('list and listEvents unwrap their envelopes', async () => {
    const many = specExample('WebhookList') as { data: unknown[] };
    const { fetch } = recordingFetch((request) =>
      request.url.endsWith('/all')
        ? json(200, { data: ['meeting.ended'], success: true })
        : json(200, many),
    );
    const connection = createRealtimeKitConnection(testOptions({ fetch }));
    expect(await listWebhooks(connection)).toEqual(many.data);
    expect(await listWebhookEvents(connection)).toEqual(['meeting.ended']);
  });

  it('a connection shows no token however it is printed, and cannot be changed', () => {
    const connection = createRealtimeKitConnection(testOptions());
    for (const text of [
      inspect(connection, { depth: 9, showHidden: true }),
      JSON.stringify(connection),
    ]) {
      expect(text).not.toContain(TEST_TOKEN);
    }
    expect(Object.isFrozen(connection)).toBe(true);
  });

  it('refuses an object that only looks like a connection, before sending', async () => {
    const { fetch, recorded } = recordingFetch(() => json(200, one));
    const real = createRealtimeKitConnection(testOptions({ fetch }));
    const copy = { ...real };
    await expect(getWebhook(copy, ID)).rejects.toThrow(/Not a connection made by this client/);
    expect(recorded.requests).toHaveLength(0);
  });
});

describe('ensure checks the ids the API answers with', () => {
  it.each(['..', '.', '', 'a/b/../../..'])(
    'a listed webhook with id %j is neither replaced nor deleted',
    async (hostileId) => {
      const stored = { ...one.data, id: hostileId, name: 'n', url: 'https://old.example/x' };
      const { fetch, recorded } = recordingFetch((request) =>
        request.method === 'GET' ? json(200, { data: [stored], success: true }) : json(200, one),
      );
      const connection = createRealtimeKitConnection(testOptions({ fetch }));
      const error = await ensureWebhook(connection, body).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(/^The API answered an unusable id: webhookId/);
      expect(recorded.requests.map((r) => r.method)).toEqual(['GET']);
    },
  );
});
