// A kit no test can crash and no web page can drive: malformed control calls are refused naming
// the field, aborted and oversized bodies end their request only, requests from web pages and
// rebound host names are refused, Prism's CORS answers never leave the mock, and the control API
// sends deliveries to loopback only.
import { request as httpRequest } from 'node:http';
import { type StatefulMockServer, startMockServer } from '@realtimekit-webhooks/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let mock: StatefulMockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(async () => {
  await mock?.stop();
});

/** A raw request (any Host, any headers), resolving with the status and body. */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
      },
      (response) => {
        let body = '';
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    sent.on('error', reject);
    sent.end(options.body);
  });
}

const alive = async () => (await fetch(`${mock.controlUrl}/__mock/webhooks`)).status === 200;
const json = { 'content-type': 'application/json' };

describe('malformed faults are refused with 400 naming the field, and the mock lives on', () => {
  const table: [unknown, RegExp][] = [
    [null, /a fault must be an object/],
    [[], /a fault must be an object/],
    [{ kind: 'explode' }, /`kind` must be status, reset, delay, rateLimit or truncate/],
    [{ kind: 'status', status: 99, after: true }, /from 200 to 599/],
    [{ kind: 'status', status: '503', after: true }, /from 200 to 599/],
    // A 1xx is no final answer: the client would wait for one until its timeout.
    [{ kind: 'status', status: 100, after: false }, /a 1xx is not a final answer/],
    [{ kind: 'status', status: 199, after: true }, /from 200 to 599/],
    [{ kind: 'delay', ms: -1, after: false }, /`ms`, a whole number/],
    [{ kind: 'delay', ms: 1e12, after: false }, /from 0 to 600000/],
    [{ kind: 'reset', after: 'yes' }, /`after` must be true/],
    [{ kind: 'rateLimit', retryAfterSeconds: -5 }, /`retryAfterSeconds`/],
    [{ kind: 'rateLimit', retryAfterMs: 1.5 }, /`retryAfterMs` must be a whole number/],
    [
      { kind: 'truncate', after: false },
      /`after` is not a field of a truncate fault \(kind, match\)/,
    ],
    [{ kind: 'reset', after: true, extra: 1 }, /`extra` is not a field of a reset fault/],
    [{ kind: 'reset', after: true, match: { method: 5 } }, /`match.method` must be an HTTP method/],
    [{ kind: 'reset', after: true, match: 'POST' }, /`match` must be an object/],
    [{ kind: 'reset', after: true, match: { verb: 'POST' } }, /`match.verb` is not a field/],
  ];
  it.each(table)('%j', async (fault, message) => {
    const answer = await fetch(`${mock.controlUrl}/__mock/faults`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(fault),
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: string }).error).toMatch(message);
    expect(await alive()).toBe(true);
  });
});

describe('what a client sends or aborts ends its own request only', () => {
  it.each([
    ['the control API', () => `${mock.controlUrl}/__mock/faults`],
    ['the API door', () => `${mock.baseUrl}/accounts/a/realtime/kit/b/webhooks`],
  ])('%s: a client that aborts mid-body', async (_door, url) => {
    const target = new URL(url());
    await new Promise<void>((resolve) => {
      const sent = httpRequest({
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { ...json, 'content-length': '100000' },
      });
      sent.on('error', () => resolve());
      sent.write('{"kind":');
      setTimeout(() => {
        sent.destroy();
        resolve();
      }, 50);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await alive()).toBe(true);
  });

  it.each([
    ['the control API', () => `${mock.controlUrl}/__mock/faults`],
    ['the API door', () => `${mock.baseUrl}/accounts/a/realtime/kit/b/webhooks`],
  ])('%s: a body over 1 MiB is refused with 413', async (_door, url) => {
    const answer = await raw(url(), {
      method: 'POST',
      headers: { ...json, host: new URL(url()).host },
      body: Buffer.alloc(2 * 1024 * 1024, 0x20),
    });
    expect(answer.status).toBe(413);
    expect(await alive()).toBe(true);
  });
});

describe('web pages cannot drive or read the mock', () => {
  const doors = [
    ['the control API', () => `${mock.controlUrl}/__mock/webhooks`],
    ['the API door', () => `${mock.baseUrl}/accounts/a/realtime/kit/b/webhooks`],
    ['the control API through the API door', () => `${mock.baseUrl}/__mock/webhooks`],
  ] as const;

  it.each(doors)('%s refuses a request carrying Origin (403)', async (_door, url) => {
    const answer = await raw(url(), {
      headers: {
        host: new URL(url()).host,
        origin: 'https://evil.example',
        authorization: 'Bearer t',
      },
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(/Origin/);
  });

  it.each(doors)(
    '%s refuses a Host that is not loopback (DNS rebinding) (403)',
    async (_door, url) => {
      const answer = await raw(url(), {
        headers: { host: `rebound.evil.example:${new URL(url()).port}`, authorization: 'Bearer t' },
      });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatch(/loopback/);
    },
  );

  it("refuses a control call that is not JSON (a page's simple text/plain POST) (415)", async () => {
    const answer = await raw(`${mock.controlUrl}/__mock/faults`, {
      method: 'POST',
      headers: { host: new URL(mock.controlUrl).host, 'content-type': 'text/plain' },
      body: '{"kind":"reset","after":true}',
    });
    expect(answer.status).toBe(415);
    expect(await mock.webhooks()).toEqual([]);
  });

  it('answers the API with no CORS header, so no page can read it', async () => {
    const answer = await fetch(`${mock.baseUrl}/accounts/a/realtime/kit/b/webhooks`, {
      headers: { authorization: 'Bearer t' },
    });
    expect(answer.status).toBe(200);
    const names: string[] = [];
    answer.headers.forEach((_value, name) => {
      names.push(name);
    });
    const cors = names.filter((name) => name.startsWith('access-control-'));
    expect(cors).toEqual([]);
  });
});

describe('the control API sends deliveries to loopback only', () => {
  it('refuses deliver to another host, naming the option that allows it', async () => {
    await expect(
      mock.deliver('meeting.ended', { to: 'https://internal.example.com/rtk' }),
    ).rejects.toThrow(/"to" must be a loopback URL .* allowHosts/);
  });

  it('emit sends nothing to a webhook whose URL is not on loopback', async () => {
    const created = await fetch(`${mock.baseUrl}/accounts/a/realtime/kit/loopback-only/webhooks`, {
      method: 'POST',
      headers: { ...json, authorization: 'Bearer t' },
      body: JSON.stringify({
        name: 'outside',
        url: 'https://internal.example.com/rtk',
        events: ['meeting.ended'],
      }),
    });
    expect(created.status).toBe(201);
    const [result] = await mock.emit('meeting.ended', { appId: 'loopback-only' });
    expect(result).toMatchObject({ delivered: false, attempts: 0, status: 'host-not-allowed' });
    expect(await mock.deliveries({ appId: 'loopback-only' })).toEqual([]);
  });
});
