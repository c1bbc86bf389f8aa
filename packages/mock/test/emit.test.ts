// The mock as RealtimeKit's sending side: `emit` reaches exactly the enabled webhooks of an app
// subscribed to the event, with RealtimeKit's retry rules, and every attempt is logged. And the
// mock's state is scoped by account and app, so tests with their own app id do not meet.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type StatefulMockServer, startMockServer } from '@realtimekit-webhooks/mock';
import { createWebhookReceiver } from '@realtimekit-webhooks/receiver';
import { nodeHandler } from '@realtimekit-webhooks/receiver/node';
import getPort from 'get-port';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

let mock: StatefulMockServer;
let receiverUrl: string;
let closeReceiver: () => void;
/** The paths each request reached, in order, and what the handler was given. */
const hits: string[] = [];
const handled: string[] = [];
let flakyAnswers: number[] = [];

beforeAll(async () => {
  mock = await startMockServer({ retry: { attempts: 3, firstDelayMs: 20 } });
  // A service verifying with the key the mock serves, as a service under test would.
  const handle = nodeHandler(createWebhookReceiver({ keyUrl: mock.keyUrl }), (delivery) => {
    handled.push(delivery.eventName);
  });
  const server = createServer((request, response) => {
    const path = request.url ?? '';
    hits.push(path);
    if (path === '/flaky') {
      const status = flakyAnswers.shift() ?? 200;
      if (status !== 200) return void response.writeHead(status).end();
    }
    if (path === '/bad') return void response.writeHead(400).end();
    void handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeReceiver = () => server.close();
});
afterAll(async () => {
  closeReceiver?.();
  await mock?.stop();
});
beforeEach(async () => {
  await mock.reset();
  hits.length = 0;
  handled.length = 0;
  flakyAnswers = [];
});

/** Creates a webhook through the API, in `appId` of account `acc`. */
async function create(appId: string, body: Record<string, unknown>) {
  const response = await fetch(`${mock.baseUrl}/accounts/acc/realtime/kit/${appId}/webhooks`, {
    method: 'POST',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { data: { id: string } }).data;
}

const webhook = (path: string, events: string[], enabled = true) => ({
  name: path,
  url: `${receiverUrl}${path}`,
  events,
  enabled,
});

describe('emit', () => {
  it('reaches exactly the enabled webhooks of the app subscribed to the event', async () => {
    const subscribed = await create('app-a', webhook('/a', ['meeting.ended']));
    await create('app-a', webhook('/disabled', ['meeting.ended'], false));
    await create('app-a', webhook('/other-event', ['meeting.started']));
    await create('app-b', webhook('/other-app', ['meeting.ended']));
    const results = await mock.emit('meeting.ended', { appId: 'app-a' });
    expect(results).toEqual([
      {
        webhookId: subscribed.id,
        url: `${receiverUrl}/a`,
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        delivered: true,
        attempts: 1,
        status: 200,
      },
    ]);
    expect(hits).toEqual(['/a']);
    expect(handled).toEqual(['meeting.ended']); // verified with the key at mock.keyUrl
  });

  it("sends to the URL with its secret, and keeps the secret out of emit's results and deliveries()", async () => {
    const secret = 'k3Y-2jv9_Qw7xZpL0mN4bR8tS6uV1yA5';
    await create('app-s', webhook(`/s?rtk_secret=${secret}`, ['meeting.ended']));
    const [result] = await mock.emit('meeting.ended', { appId: 'app-s' });
    expect(hits).toEqual([`/s?rtk_secret=${secret}`]); // the receiver got the real URL
    const logged = await mock.deliveries({ appId: 'app-s' });
    expect(JSON.stringify([result, logged])).not.toContain(secret);
    expect(result?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\?rtk_secret=\*+$/);
    expect(logged.map((attempt) => attempt.url)).toEqual([result?.url]);
  });

  it('retries a 5xx with the same delivery until a 2xx; does not retry a 400', async () => {
    const flaky = await create('app-r', webhook('/flaky', ['recording.statusUpdate']));
    const bad = await create('app-r', webhook('/bad', ['recording.statusUpdate']));
    flakyAnswers = [503];
    const results = await mock.emit('recording.statusUpdate', { appId: 'app-r' });
    const byWebhook = Object.fromEntries(results.map((r) => [r.webhookId, r]));
    expect(byWebhook[flaky.id]).toMatchObject({ delivered: true, attempts: 2, status: 200 });
    expect(byWebhook[bad.id]).toMatchObject({ delivered: false, attempts: 1, status: 400 });
    expect(hits.filter((h) => h === '/flaky')).toHaveLength(2);
    expect(hits.filter((h) => h === '/bad')).toHaveLength(1);

    const attempts = await mock.deliveries({ appId: 'app-r' });
    const summary = attempts.map((a) => [
      a.url.slice(receiverUrl.length),
      a.attempt,
      a.status,
      a.outcome,
    ]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['/flaky', 1, 503, 'retrying'],
        ['/flaky', 2, 200, 'delivered'],
        ['/bad', 1, 400, 'failed'],
      ]),
    );
    expect(attempts).toHaveLength(3);
    const flakyIds = attempts.filter((a) => a.webhookId === flaky.id).map((a) => a.id);
    expect(new Set(flakyIds).size).toBe(1); // a retry keeps its rtk-uuid
    expect(attempts.every((a) => a.event === 'recording.statusUpdate' && a.appId === 'app-r')).toBe(
      true,
    );
  });

  it('gives up after the attempts when nothing answers, logging each attempt', async () => {
    const closed = await getPort({ host: '127.0.0.1' });
    const gone = await create('app-n', {
      name: 'gone',
      url: `http://127.0.0.1:${closed}/rtk`,
      events: ['meeting.started'],
    });
    const [result] = await mock.emit('meeting.started', { appId: 'app-n' });
    expect(result).toMatchObject({
      webhookId: gone.id,
      delivered: false,
      attempts: 3,
      status: 'network-error',
    });
    const outcomes = (await mock.deliveries({ appId: 'app-n' })).map((a) => a.outcome);
    expect(outcomes).toEqual(['retrying', 'retrying', 'failed']);
  });

  it('each emit is a new event; a payload given is sent as it is', async () => {
    await create('app-p', webhook('/p', ['meeting.ended']));
    const [first] = await mock.emit('meeting.ended', { appId: 'app-p' });
    const [second] = await mock.emit('meeting.ended', { appId: 'app-p' });
    expect(first?.id).not.toBe(second?.id);
    expect(handled).toEqual(['meeting.ended', 'meeting.ended']); // neither taken for a duplicate
    await expect(
      mock.emit('meeting.ended', { appId: 'app-p', payload: { event: 'meeting.ended' } }),
    ).rejects.toThrow(/payload\.meeting is required/);
  });
});

describe('scopes: account and app', () => {
  it('two apps on one mock see only their own webhooks, through the API and the control API', async () => {
    const a = await create('app-1', webhook('/one', ['meeting.ended']));
    const b = await create('app-2', webhook('/two', ['meeting.ended']));
    const list = async (appId: string) => {
      const response = await fetch(`${mock.baseUrl}/accounts/acc/realtime/kit/${appId}/webhooks`, {
        headers: { authorization: 'Bearer t' },
      });
      return ((await response.json()) as { data: { id: string }[] }).data.map((w) => w.id);
    };
    expect(await list('app-1')).toEqual([a.id]);
    expect(await list('app-2')).toEqual([b.id]);
    // Another app's webhook is not found by id either.
    const across = await fetch(`${mock.baseUrl}/accounts/acc/realtime/kit/app-1/webhooks/${b.id}`, {
      headers: { authorization: 'Bearer t' },
    });
    expect(across.status).toBe(404);
    expect((await mock.webhooks({ appId: 'app-2' })).map((w) => w.id)).toEqual([b.id]);
    expect(await mock.webhooks()).toHaveLength(2);
  });

  it('reset with a scope forgets that app only', async () => {
    await create('app-1', webhook('/one', ['meeting.ended']));
    const kept = await create('app-2', webhook('/two', ['meeting.ended']));
    await mock.reset({ appId: 'app-1' });
    expect((await mock.webhooks()).map((w) => w.id)).toEqual([kept.id]);
  });
});
