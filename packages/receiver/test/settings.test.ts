// Every option is checked once, when the receiver is created, in one error style that names the
// option and its range. Durations that become timers are bounded to what a timer holds (2^31 - 1
// ms): beyond it a timer fires after 1 ms, and a lease of "forever" would renew every millisecond.
import { describe, expect, it } from 'vitest';
import { createWebhookReceiver, memorySeenStore } from '../src/index.js';

const TIMER_MAX = 2 ** 31 - 1;
const timed = ['leaseMs', 'handlerTimeoutMs', 'bodyTimeoutMs', 'keyFetchTimeoutMs'] as const;

describe('receiver options', () => {
  describe.each(timed)('%s', (option) => {
    it.each([0, -1, 1.5, Number.NaN, TIMER_MAX + 1, Number.POSITIVE_INFINITY])(
      'refuses %s, naming the option and its range',
      (value) => {
        expect(() => createWebhookReceiver({ [option]: value })).toThrow(
          new TypeError(`${option} must be a whole number of milliseconds from 1 to ${TIMER_MAX}`),
        );
      },
    );

    it('accepts the longest a timer holds', () => {
      expect(() => createWebhookReceiver({ [option]: TIMER_MAX })).not.toThrow();
    });
  });

  it('bounds maxBodyBytes to a whole number of bytes, and lets seenTtlMs be longer than a timer', () => {
    expect(() => createWebhookReceiver({ maxBodyBytes: 0 })).toThrow(
      /^maxBodyBytes must be a whole number of bytes from 1 to/,
    );
    expect(() => createWebhookReceiver({ seenTtlMs: 30 * 24 * 60 * 60 * 1000 })).not.toThrow();
    expect(() => createWebhookReceiver({ seenTtlMs: -1 })).toThrow(/^seenTtlMs must be/);
  });

  it("refuses a memory store too small for one delivery's two keys", () => {
    expect(() => memorySeenStore(1)).toThrow(
      /maxEntries must be a whole number of keys, 2 or more/,
    );
  });
});
