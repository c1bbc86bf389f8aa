// Many seeded runs of `create` against the stateful fake while it injects one kind of fault at
// random: every run must end with exactly one webhook, or with an error that tells the truth
// (OutcomeUnknownError: at most one; any other error: none). Never two.
import {
  type FakeApi,
  faultLabel,
  RELIABILITY_FAULTS,
  randomFaults,
  startFakeApi,
} from '@realtimekit-webhooks/mock/fake';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeKitClient, RealtimeKitError } from '../../src/index.js';

const RUNS = 30;
const TIMEOUT_MS = 60;
let fake: FakeApi;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  fake = await startFakeApi();
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await fake?.stop();
});

describe.each(
  RELIABILITY_FAULTS.map((fault, index) => ({ label: faultLabel(fault), fault, index })),
)('create while the API answers with $label', ({ fault, index }) => {
  it(`${RUNS} seeded runs: one webhook or a truthful error, never a duplicate`, async () => {
    const rtk = createRealtimeKitClient({
      apiToken: 'throwaway-token',
      accountId: 'acc',
      appId: 'app',
      baseUrl: fake.baseUrl,
      timeoutMs: TIMEOUT_MS,
      backoff: { initialMs: 1, maxMs: 4 },
    });
    const tally = { created: 0, outcomeUnknown: 0, failed: 0, duplicates: 0, faults: 0 };
    for (let run = 0; run < RUNS; run += 1) {
      // Any request (the POST, and the reads that reconcile it) may fail; at most three per run.
      // A held answer is held past the client's timeout.
      const injected = fault.kind === 'delay' ? { ...fault, ms: TIMEOUT_MS * 3 } : fault;
      const plan = randomFaults(injected, index * 1000 + run);
      fake.store.clear();
      fake.setFaults(plan);
      const body = {
        name: `run-${run}`,
        url: 'https://svc.example.com/rtk',
        events: ['meeting.ended' as const],
      };
      const outcome = await rtk.webhooks.create(body).then(
        (webhook) => ({ webhook, error: undefined }),
        (error: unknown) => ({ webhook: undefined, error }),
      );
      fake.setFaults(undefined);
      tally.faults += plan.count();
      const stored = fake.store.list().filter((w) => w.name === body.name);
      if (stored.length > 1) tally.duplicates += 1;

      if (outcome.webhook) {
        tally.created += 1;
        expect(stored.map((w) => w.id)).toEqual([outcome.webhook.id]);
      } else {
        expect(outcome.error).toBeInstanceOf(RealtimeKitError);
        if ((outcome.error as RealtimeKitError).outcomeUnknown) {
          tally.outcomeUnknown += 1;
          expect(stored.length).toBeLessThanOrEqual(1);
        } else {
          tally.failed += 1;
          expect(stored).toEqual([]);
        }
      }
    }
    expect(tally.duplicates).toBe(0);
    expect(tally.created + tally.outcomeUnknown + tally.failed).toBe(RUNS);
    // The faults really happened, and most runs still got their webhook.
    expect(tally.faults).toBeGreaterThan(RUNS / 2);
    expect(tally.created).toBeGreaterThan(RUNS / 2);
    expect(unhandled).toEqual([]);
  });
});
