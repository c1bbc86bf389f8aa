// receiver.handle(): each delivery is claimed, the handler runs, and only its success marks the
// delivery done; what RealtimeKit is answered in every case (a 4xx would drop it for good).
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createWebhookReceiver,
  type Delivery,
  memorySeenStore,
  type SeenStore,
  type WebhookReceiverOptions,
} from '../src/index.js';
import { deliveryHeaders, deliveryRequest, exampleFor, makeSigner } from './helpers.js';
import { describeStoreContract } from './store-contract.js';

let signer: Awaited<ReturnType<typeof makeSigner>>;
beforeAll(async () => {
  signer = await makeSigner();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let sent = 0;

/** A signed delivery of `event` (its own body, so its own replay key) as a Fetch Request. */
async function delivery(event: 'meeting.ended' | 'meeting.started' = 'meeting.ended', id?: string) {
  sent += 1;
  const body = JSON.stringify({ ...exampleFor(event), sent });
  const headers = deliveryHeaders(await signer.sign(body), id ?? `handle-${sent}`);
  return () => deliveryRequest(body, headers);
}

function receiverWith(options: Omit<WebhookReceiverOptions, 'publicKey'> = {}) {
  return createWebhookReceiver({ publicKey: signer.publicKeyPem, ...options });
}

async function answerOf(response: Response) {
  return { status: response.status, body: await response.text() };
}

describeStoreContract('the memory store', memorySeenStore);

describe('handle: one delivery, one successful run', () => {
  it('runs the handler, answers 200, and answers a retry 200 without running it again', async () => {
    const receiver = receiverWith();
    const runs: Delivery[] = [];
    const request = await delivery('meeting.ended', 'once');
    const first = await receiver.handle(request(), (d) => void runs.push(d));
    const retry = await receiver.handle(request(), (d) => void runs.push(d));
    expect(await answerOf(first)).toEqual({ status: 200, body: 'handled' });
    expect(await answerOf(retry)).toEqual({ status: 200, body: 'duplicate' });
    expect(runs.map((d) => [d.id, d.event, d.duplicate])).toEqual([
      ['once', 'meeting.ended', false],
    ]);
  });

  it('answers 500 when the handler throws, tells onError, and runs it again on the retry', async () => {
    const errors: [unknown, string][] = [];
    const receiver = receiverWith({ onError: (error, d) => errors.push([error, d.id]) });
    let calls = 0;
    const handler = () => {
      calls += 1;
      if (calls === 1) throw new Error('database down');
    };
    const request = await delivery('meeting.ended', 'fails-once');
    expect(await answerOf(await receiver.handle(request(), handler))).toEqual({
      status: 500,
      body: 'handler-failed',
    });
    expect(errors).toEqual([[new Error('database down'), 'fails-once']]);
    expect((await receiver.handle(request(), handler)).status).toBe(200);
    expect((await receiver.handle(request(), handler)).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('by default logs a failed handler with the delivery id and the error, never the payload', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const receiver = receiverWith();
    const request = await delivery('meeting.ended', 'logged');
    const response = await receiver.handle(request(), () => {
      throw new TypeError('cannot read x');
    });
    expect(response.status).toBe(500);
    expect(logged).toHaveBeenCalledTimes(1);
    const line = String(logged.mock.calls[0]?.[0]);
    expect(line).toContain('logged');
    expect(line).toContain('meeting.ended');
    expect(line).toContain('TypeError: cannot read x');
    const meeting = (exampleFor('meeting.ended') as { meeting: { id: string; title: string } })
      .meeting;
    expect(line).not.toContain(meeting.id);
    expect(line).not.toContain(meeting.title);
  });

  it('answers 503 with Retry-After while another handler holds the delivery, then 200 without a second run', async () => {
    const receiver = receiverWith({ leaseMs: 5_000 });
    let release: () => void = () => {};
    let runs = 0;
    const slow = () => {
      runs += 1;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    };
    const request = await delivery('meeting.ended', 'held');
    const first = receiver.handle(request(), slow);
    await pause(10);
    const concurrent = await receiver.handle(request(), slow);
    expect(concurrent.status).toBe(503);
    expect(Number(concurrent.headers.get('retry-after'))).toBeGreaterThanOrEqual(4);
    expect(Number(concurrent.headers.get('retry-after'))).toBeLessThanOrEqual(5);
    release();
    expect((await first).status).toBe(200);
    expect(await answerOf(await receiver.handle(request(), slow))).toEqual({
      status: 200,
      body: 'duplicate',
    });
    expect(runs).toBe(1);
  });

  it('a replay of a handled delivery under a fresh rtk-uuid is a duplicate', async () => {
    const receiver = receiverWith();
    const body = JSON.stringify(exampleFor('meeting.started'));
    const signature = await signer.sign(body);
    let runs = 0;
    const run = () => {
      runs += 1;
    };
    await receiver.handle(deliveryRequest(body, deliveryHeaders(signature, 'original')), run);
    const replay = await receiver.handle(
      deliveryRequest(body, deliveryHeaders(signature, 'forged-fresh-id')),
      run,
    );
    expect(await answerOf(replay)).toEqual({ status: 200, body: 'duplicate' });
    expect(runs).toBe(1);
  });

  it('a retry that carries a new rtk-uuid (Cloudflare does not document that it keeps one) is still recognised', async () => {
    const receiver = receiverWith({ onError: () => {} });
    const body = JSON.stringify({ ...exampleFor('meeting.ended'), sent: 'retried-under-new-ids' });
    const signature = await signer.sign(body);
    const effects: string[] = [];
    let attempts = 0;
    const handler = (d: Delivery) => {
      attempts += 1;
      if (attempts === 1) throw new Error('first attempt fails');
      effects.push(d.id);
    };
    const answers = [];
    for (const id of ['first-try', 'retry-new-id', 'late-copy-new-id']) {
      answers.push(
        await answerOf(
          await receiver.handle(deliveryRequest(body, deliveryHeaders(signature, id)), handler),
        ),
      );
    }
    expect(answers).toEqual([
      { status: 500, body: 'handler-failed' },
      { status: 200, body: 'handled' },
      { status: 200, body: 'duplicate' },
    ]);
    expect(effects).toEqual(['retry-new-id']);
  });

  it('answers a delivery that does not verify with its status, running nothing', async () => {
    const receiver = receiverWith();
    const body = JSON.stringify(exampleFor('meeting.ended'));
    const forged = deliveryRequest(body, deliveryHeaders(await signer.sign('other')));
    let runs = 0;
    const response = await receiver.handle(forged, () => {
      runs += 1;
    });
    expect(response.status).toBeGreaterThanOrEqual(401);
    expect(['bad-signature', 'signature-unconfirmed']).toContain(await response.text());
    expect(runs).toBe(0);
    const big = deliveryRequest('x'.repeat(2_000), deliveryHeaders(await signer.sign('x')));
    const tooBig = await receiverWith({ maxBodyBytes: 1_000 }).handle(big, () => {});
    expect(await answerOf(tooBig)).toEqual({ status: 413, body: 'body-too-large' });
  });
});

describe('handle: a handler per event', () => {
  it('runs the entry for the event, the fallback for the rest, and acknowledges the others', async () => {
    const ran: string[] = [];
    const receiver = receiverWith();
    const handlers = {
      'meeting.ended': (d: Extract<Delivery, { event: 'meeting.ended' }>) =>
        void ran.push(`ended:${d.payload.reason}`),
    };
    const ended = await delivery('meeting.ended');
    const started = await delivery('meeting.started');
    expect(await answerOf(await receiver.handle(ended(), handlers))).toEqual({
      status: 200,
      body: 'handled',
    });
    expect(await answerOf(await receiver.handle(started(), handlers))).toEqual({
      status: 200,
      body: 'ignored',
    });
    // Acknowledged without work, and done: its retry is a duplicate.
    expect(await answerOf(await receiver.handle(started(), handlers))).toEqual({
      status: 200,
      body: 'duplicate',
    });
    const withFallback = { ...handlers, fallback: (d: Delivery) => void ran.push(d.eventName) };
    const another = await delivery('meeting.started');
    await receiver.handle(another(), withFallback);
    expect(ran).toEqual([
      `ended:${(exampleFor('meeting.ended') as { reason: string }).reason}`,
      'meeting.started',
    ]);
  });
});

describe('handle: leases', () => {
  it('renews the claim while a handler slower than the lease runs, so nobody else takes it', async () => {
    const receiver = receiverWith({ leaseMs: 150 });
    let runs = 0;
    const slow = async () => {
      runs += 1;
      await pause(500);
    };
    const request = await delivery('meeting.ended', 'slow');
    const first = receiver.handle(request(), slow);
    await pause(300); // twice the lease: without renewal it would have lapsed
    expect((await receiver.handle(request(), slow)).status).toBe(503);
    expect((await first).status).toBe(200);
    expect(await (await receiver.handle(request(), slow)).text()).toBe('duplicate');
    expect(runs).toBe(1);
  });

  it("a dead holder's claim frees itself within the lease, and the retry runs the handler", async () => {
    const seen = memorySeenStore();
    const receiver = receiverWith({ seen, leaseMs: 200 });
    const request = await delivery('meeting.ended', 'orphaned');
    const verified = await receiverWith({ seen: false }).verify(request());
    // A replica claimed it and died: nobody renews.
    seen.claim(['rtk-uuid:orphaned', `signed-body:${verified.replayKey}`], 'dead', 200);
    let runs = 0;
    expect(
      (
        await receiver.handle(request(), () => {
          runs += 1;
        })
      ).status,
    ).toBe(503);
    await pause(250);
    expect(
      (
        await receiver.handle(request(), () => {
          runs += 1;
        })
      ).status,
    ).toBe(200);
    expect(runs).toBe(1);
  });
});

describe('handle: a failing store', () => {
  const failing = (step: keyof SeenStore): SeenStore => {
    const memory = memorySeenStore();
    return { ...memory, [step]: () => Promise.reject(new Error('connection refused')) };
  };

  it('answers 503 when the claim fails, running nothing', async () => {
    let runs = 0;
    const request = await delivery();
    const response = await receiverWith({ seen: failing('claim') }).handle(request(), () => {
      runs += 1;
    });
    expect(await answerOf(response)).toEqual({ status: 503, body: 'store-unavailable' });
    expect(runs).toBe(0);
  });

  it('answers 503 when marking done fails, and leaves nothing marked done', async () => {
    const memory = memorySeenStore();
    let failComplete = true;
    const seen: SeenStore = {
      ...memory,
      complete: (keys, token, ttl) =>
        failComplete ? Promise.reject(new Error('timeout')) : memory.complete(keys, token, ttl),
    };
    const receiver = receiverWith({ seen, leaseMs: 150 });
    let runs = 0;
    const request = await delivery('meeting.ended', 'complete-fails');
    expect(
      (
        await receiver.handle(request(), () => {
          runs += 1;
        })
      ).status,
    ).toBe(503);
    failComplete = false;
    await pause(200); // the claim's lease ends: the retry runs the handler again (at least once)
    expect(
      await (
        await receiver.handle(request(), () => {
          runs += 1;
        })
      ).text(),
    ).toBe('handled');
    expect(runs).toBe(2);
  });

  it('with seen: false, runs the handler on every copy', async () => {
    const receiver = receiverWith({ seen: false });
    let runs = 0;
    const request = await delivery();
    await receiver.handle(request(), () => {
      runs += 1;
    });
    await receiver.handle(request(), () => {
      runs += 1;
    });
    expect(runs).toBe(2);
  });
});

describe('verify() beside handle()', () => {
  it('still flags a delivery handle() completed, and handle() one verify() marked', async () => {
    const receiver = receiverWith();
    const handled = await delivery();
    await receiver.handle(handled(), () => {});
    expect((await receiver.verify(handled())).duplicate).toBe(true);
    const verified = await delivery();
    expect((await receiver.verify(verified())).duplicate).toBe(false);
    expect(await (await receiver.handle(verified(), () => {})).text()).toBe('duplicate');
  });
});

describe('handlers that know when to stop', () => {
  it('give each attempt its own fencing token (none without a store)', async () => {
    const tokens: (string | undefined)[] = [];
    const receiver = receiverWith({ onError: () => {} });
    const request = await delivery('meeting.ended', 'fenced');
    await receiver.handle(request(), (d) => {
      tokens.push(d.fencingToken);
      throw new Error('try again');
    });
    await receiver.handle(request(), (d) => void tokens.push(d.fencingToken));
    await receiverWith({ seen: false }).handle(request(), (d) => void tokens.push(d.fencingToken));
    expect(tokens[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(tokens[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(tokens[1]).not.toBe(tokens[0]);
    expect(tokens[2]).toBeUndefined();
  });

  it('past handlerTimeoutMs: 503, the signal aborts, the late completion marks nothing, and the claim lapses within a lease', async () => {
    const receiver = receiverWith({ handlerTimeoutMs: 100, leaseMs: 300 });
    const request = await delivery('meeting.ended', 'too-slow');
    let finish = () => {};
    let seen: AbortSignal | undefined;
    const started = Date.now();
    const response = await receiver.handle(request(), (d) => {
      seen = d.signal;
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await answerOf(response)).toEqual({ status: 503, body: 'handler-timeout' });
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toMatchObject({ cause: 'handler-timeout' });
    finish(); // the late handler resolves: nothing is marked done for it
    await pause(20);
    // While its claim lasts, a copy is told to come back; once it lapsed, the retry runs.
    expect((await receiver.handle(request(), () => {})).status).toBe(503);
    await pause(350);
    const runs: string[] = [];
    const retry = await receiver.handle(request(), (d) => void runs.push(d.id));
    expect(await answerOf(retry)).toEqual({ status: 200, body: 'handled' });
    expect(runs).toEqual(['too-slow']);
  });

  it('stop renewing a claim whose handler never returns', async () => {
    const memory = memorySeenStore();
    let renewals = 0;
    const receiver = receiverWith({
      leaseMs: 60,
      handlerTimeoutMs: 150,
      seen: {
        ...memory,
        renew: (keys, token, leaseMs) => {
          renewals += 1;
          return memory.renew(keys, token, leaseMs);
        },
      },
    });
    const request = await delivery('meeting.ended', 'never-returns');
    expect((await receiver.handle(request(), () => new Promise(() => {}))).status).toBe(503);
    const atTimeout = renewals;
    expect(atTimeout).toBeGreaterThan(0);
    await pause(300);
    expect(renewals).toBe(atTimeout);
  });

  it('abort the signal when a renewal finds the claim taken over', async () => {
    const memory = memorySeenStore();
    const receiver = receiverWith({ leaseMs: 60, seen: { ...memory, renew: () => false } });
    const request = await delivery('meeting.ended', 'taken-over');
    let reason: unknown;
    await receiver.handle(request(), async (d) => {
      await new Promise((resolve) => d.signal.addEventListener('abort', resolve));
      reason = d.signal.reason;
    });
    expect((reason as Error).cause).toBe('claim-lost');
  });

  it('abort the signal once renewals have failed for a whole lease (the store is down)', async () => {
    const memory = memorySeenStore();
    let failures = 0;
    const receiver = receiverWith({
      leaseMs: 90,
      seen: {
        ...memory,
        renew: () => {
          failures += 1;
          throw new Error('store down');
        },
      },
    });
    const request = await delivery('meeting.ended', 'store-down');
    const started = Date.now();
    let abortedAfter = 0;
    await receiver.handle(request(), async (d) => {
      await new Promise((resolve) => d.signal.addEventListener('abort', resolve));
      abortedAfter = Date.now() - started;
    });
    expect(failures).toBeGreaterThanOrEqual(3);
    expect(abortedAfter).toBeGreaterThanOrEqual(85);
  });
});
