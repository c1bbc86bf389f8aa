// Which calls are retried, and how long the client waits, on a fake clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_RETRY_AFTER_MS } from '../../src/backoff.js';
import {
  InternalServerError,
  OutcomeUnknownError,
  RateLimitError,
  UserAbortError,
} from '../../src/index.js';
import { json, recordingFetch, specExample, testClient } from '../helpers.js';

const list = { data: [], success: true };

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-27T12:00:00Z') });
  vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter: waits are exact
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A fetch that answers `answers` in turn and notes the (fake) time of each request. */
function scripted(...answers: (() => Response)[]) {
  const times: number[] = [];
  const { fetch, recorded } = recordingFetch(() => {
    times.push(Date.now());
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next();
  });
  return { fetch, recorded, waits: () => times.slice(1).map((t, i) => t - (times[i] ?? 0)) };
}

async function settle<T>(promise: Promise<T>): Promise<T | unknown> {
  const caught = promise.catch((e: unknown) => e);
  await vi.runAllTimersAsync();
  return caught;
}

describe('retries of reads', () => {
  it('backs off exponentially: 500 ms, then 1000 ms', async () => {
    const s = scripted(
      () => json(503, {}),
      () => json(502, {}),
      () => json(200, list),
    );
    expect(await settle(testClient({ fetch: s.fetch }).webhooks.list())).toEqual([]);
    expect(s.waits()).toEqual([500, 1000]);
  });

  it('jitters each wait down by at most a quarter', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const s = scripted(
      () => json(500, {}),
      () => json(200, list),
    );
    await settle(testClient({ fetch: s.fetch }).webhooks.list());
    expect(s.waits()[0]).toBeGreaterThanOrEqual(375);
    expect(s.waits()[0]).toBeLessThanOrEqual(376);
  });

  it('caps the backoff at backoff.maxMs', async () => {
    const s = scripted(...Array.from({ length: 5 }, () => () => json(500, {})), () =>
      json(200, list),
    );
    await settle(
      testClient({
        fetch: s.fetch,
        maxRetries: 5,
        backoff: { initialMs: 100, maxMs: 300 },
      }).webhooks.list(),
    );
    expect(s.waits()).toEqual([100, 200, 300, 300, 300]);
  });

  it.each([
    ['retry-after seconds', { 'retry-after': '3' }, 3000],
    ['retry-after-ms', { 'retry-after-ms': '1250' }, 1250],
    ['retry-after as an HTTP date', { 'retry-after': 'Fri, 27 Nov 2026 12:00:07 GMT' }, 7000],
  ])('waits as %s says on 429', async (_name, headers, wait) => {
    const s = scripted(
      () => json(429, {}, headers),
      () => json(200, list),
    );
    await settle(testClient({ fetch: s.fetch }).webhooks.list());
    expect(s.waits()).toEqual([wait]);
  });

  it(`does not sleep through a retry-after over ${MAX_RETRY_AFTER_MS} ms: it throws at once`, async () => {
    const s = scripted(
      () => json(429, {}, { 'retry-after': '300' }),
      () => json(200, list),
    );
    const error = await settle(testClient({ fetch: s.fetch }).webhooks.list());
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 300_000 });
    expect(s.recorded.requests).toHaveLength(1);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    const s = scripted(
      () => json(500, {}),
      () => json(502, {}),
      () => json(503, {}),
    );
    const error = await settle(
      testClient({ fetch: s.fetch }).webhooks.get('0d1f069d-43bb-489a-ad8c-7eb95592ba8e'),
    );
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503 });
    expect(s.recorded.requests).toHaveLength(3);
  });

  it('honours maxRetries per call', async () => {
    const s = scripted(
      () => json(500, {}),
      () => json(200, list),
    );
    const error = await settle(testClient({ fetch: s.fetch }).webhooks.list({ maxRetries: 0 }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(s.recorded.requests).toHaveLength(1);
  });

  it.each([400, 401, 403, 404, 409, 422])('does not retry %i', async (status) => {
    const s = scripted(
      () => json(status, {}),
      () => json(200, list),
    );
    await settle(testClient({ fetch: s.fetch }).webhooks.list());
    expect(s.recorded.requests).toHaveLength(1);
  });

  it('retries PUT, PATCH and DELETE like reads', async () => {
    const id = '0d1f069d-43bb-489a-ad8c-7eb95592ba8e';
    const one = () => json(200, specExample('WebhookAllEvents'));
    const s = scripted(
      () => json(503, {}),
      one,
      () => json(408, {}),
      one,
      () => json(504, {}),
      one,
    );
    const rtk = testClient({ fetch: s.fetch });
    await settle(rtk.webhooks.replace(id, { name: 'n', url: 'https://a.example', events: [] }));
    await settle(rtk.webhooks.update(id, { enabled: true }));
    await settle(rtk.webhooks.delete(id));
    expect(s.recorded.requests.map((r) => r.method)).toEqual([
      'PUT',
      'PUT',
      'PATCH',
      'PATCH',
      'DELETE',
      'DELETE',
    ]);
  });
});

describe('aborting', () => {
  it('stops in the middle of a backoff wait at once, with UserAbortError', async () => {
    const s = scripted(
      () => json(503, {}),
      () => json(200, list),
    );
    const controller = new AbortController();
    const pending = testClient({ fetch: s.fetch })
      .webhooks.list({ signal: controller.signal })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100); // inside the 500 ms wait
    controller.abort();
    const error = await pending; // no more timers needed: it rejects on the abort itself
    expect(error).toBeInstanceOf(UserAbortError);
    expect(s.recorded.requests).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('create', () => {
  const body = { name: 'n', url: 'https://a.example/x', events: ['meeting.ended' as const] };
  const created = () => json(201, specExample('WebhookAllEvents'));

  it('POSTs again at once after a 429 (the API did not act on it)', async () => {
    const s = scripted(() => json(429, {}, { 'retry-after': '1' }), created);
    await settle(testClient({ fetch: s.fetch }).webhooks.create(body));
    expect(s.recorded.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
    expect(s.waits()).toEqual([1000]);
  });

  it('after a 502 it lists before POSTing again, and returns the webhook it finds', async () => {
    const found = {
      ...(specExample('WebhookAllEvents') as { data: object }).data,
      ...body,
      enabled: true,
    };
    const s = scripted(
      () => json(502, {}),
      () => json(200, { data: [found], success: true }),
    );
    const result = await settle(testClient({ fetch: s.fetch }).webhooks.create(body));
    expect(result).toEqual(found);
    expect(s.recorded.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
  });

  it('after a 502 with nothing found, POSTs again', async () => {
    const s = scripted(
      () => json(502, {}),
      () => json(200, list),
      created,
    );
    await settle(testClient({ fetch: s.fetch }).webhooks.create(body));
    expect(s.recorded.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'POST']);
  });

  it('says the outcome is unknown when it cannot list to find out', async () => {
    const s = scripted(
      () => json(500, {}),
      () => json(503, {}),
      () => json(503, {}),
      () => json(503, {}),
    );
    const error = await settle(testClient({ fetch: s.fetch }).webhooks.create(body));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error).toMatchObject({ outcomeUnknown: true });
    expect((error as Error).message).toMatch(/may or may not have succeeded/);
    expect(s.recorded.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'GET', 'GET']);
  });

  it('never POSTs more than 1 + maxRetries times', async () => {
    const s = scripted(
      ...Array.from({ length: 6 }, (_, i) =>
        i % 2 === 0 ? () => json(500, {}) : () => json(200, list),
      ),
    );
    const error = await settle(testClient({ fetch: s.fetch }).webhooks.create(body));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(s.recorded.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
  });
});
