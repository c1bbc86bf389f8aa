import type { WebhookPayloadFor } from '@realtimekit-webhooks/types';
import { describe, expectTypeOf, it } from 'vitest';
import type { Delivery, UnknownPayload } from '../src/index.js';

describe('Delivery narrows on event', () => {
  it('types the payload of each known event', () => {
    const delivery = {} as Delivery;
    switch (delivery.event) {
      case 'recording.statusUpdate':
        expectTypeOf(delivery.payload).toEqualTypeOf<WebhookPayloadFor<'recording.statusUpdate'>>();
        expectTypeOf(delivery.payload.recording.recordingId).toEqualTypeOf<string>();
        break;
      case 'meeting.chatSynced':
        expectTypeOf(delivery.payload.chatDownloadUrl).toEqualTypeOf<string>();
        break;
      case 'unknown':
        expectTypeOf(delivery.payload).toEqualTypeOf<UnknownPayload>();
        expectTypeOf(delivery.eventName).toEqualTypeOf<string>();
        break;
    }
  });

  it('has no event outside the spec and "unknown"', () => {
    const delivery = {} as Delivery;
    // @ts-expect-error: not an event
    if (delivery.event === 'meeting.exploded') return;
    expectTypeOf(delivery.duplicate).toEqualTypeOf<boolean>();
  });
});
