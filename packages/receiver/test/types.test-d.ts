import type { ValidationIssue, WebhookEvent, WebhookPayloadFor } from '@realtimekit-webhooks/types';
import { describe, expectTypeOf, it } from 'vitest';
import type { Delivery, HandledDelivery, UnknownPayload, WebhookReceiver } from '../src/index.js';
import { createWebhookReceiver } from '../src/index.js';
import { postgresInbox } from '../src/postgres.js';

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
      case 'mismatch':
        expectTypeOf(delivery.payload).toEqualTypeOf<UnknownPayload>();
        expectTypeOf(delivery.eventName).toEqualTypeOf<WebhookEvent>();
        expectTypeOf(delivery.issues).toEqualTypeOf<readonly ValidationIssue[]>();
        break;
    }
  });

  it('promises only the fields every documented payload carries', () => {
    const delivery = {} as Delivery;
    if (delivery.event === 'meeting.started') {
      expectTypeOf(delivery.payload.meeting.roomName).toEqualTypeOf<string | undefined>();
      expectTypeOf(delivery.payload.meeting.endedAt).toEqualTypeOf<string | undefined>();
      expectTypeOf(delivery.payload.meeting.sessionId).toEqualTypeOf<string>();
    }
    if (delivery.event === 'meeting.summary') {
      expectTypeOf(delivery.payload.meeting.id).toEqualTypeOf<string>();
      // One version of Cloudflare's page sends the whole meeting, the other only three fields.
      expectTypeOf(delivery.payload.meeting.title).toEqualTypeOf<string | undefined>();
      expectTypeOf(delivery.payload.meeting.endedAt).toEqualTypeOf<string | undefined>();
    }
    if (delivery.event === 'livestreaming.statusUpdate') {
      // @ts-expect-error: the livestream's meeting has no sessionId
      delivery.payload.meeting.sessionId;
    }
  });

  it('has no event outside the spec, "unknown" and "mismatch"', () => {
    const delivery = {} as Delivery;
    // @ts-expect-error: not an event
    if (delivery.event === 'meeting.exploded') return;
    expectTypeOf(delivery.duplicate).toEqualTypeOf<boolean>();
    expectTypeOf(delivery.replayKey).toEqualTypeOf<string>();
  });
});

describe('handle() handlers', () => {
  const receiver = {} as WebhookReceiver;
  const request = {} as Request;

  it('types each entry of a handler map for its event', () => {
    void receiver.handle(request, {
      'meeting.ended': (delivery) => {
        expectTypeOf(delivery.payload).toEqualTypeOf<WebhookPayloadFor<'meeting.ended'>>();
        expectTypeOf(delivery.payload.reason).toEqualTypeOf<
          WebhookPayloadFor<'meeting.ended'>['reason']
        >();
      },
      mismatch: (delivery) => {
        expectTypeOf(delivery.issues).toEqualTypeOf<readonly ValidationIssue[]>();
      },
      unknown: (delivery) => {
        expectTypeOf(delivery.eventName).toEqualTypeOf<string>();
      },
      fallback: (delivery) => {
        expectTypeOf(delivery).toEqualTypeOf<HandledDelivery>();
        expectTypeOf(delivery).toExtend<Delivery>();
      },
    });
  });

  it('takes one function for every delivery, sync or async', () => {
    void receiver.handle(request, (delivery, tx) => {
      expectTypeOf(delivery).toEqualTypeOf<HandledDelivery>();
      expectTypeOf(delivery.signal).toEqualTypeOf<AbortSignal>();
      expectTypeOf(delivery.fencingToken).toEqualTypeOf<string | undefined>();
      // No inbox store: no transaction.
      expectTypeOf(tx).toEqualTypeOf<undefined>();
    });
    // A handler written against plain deliveries still fits.
    const plain = (_delivery: Delivery) => {};
    void receiver.handle(request, plain);
    void receiver.handle(request, async () => {});
    expectTypeOf(receiver.handle(request, () => {})).toEqualTypeOf<Promise<Response>>();
  });

  it('refuses an entry for an event that does not exist, or typed for another event', () => {
    // @ts-expect-error: not an event
    void receiver.handle(request, { 'meeting.exploded': () => {} });
    void receiver.handle(request, {
      // @ts-expect-error: a meeting.started delivery has no reason
      'meeting.started': (delivery: Extract<Delivery, { event: 'meeting.ended' }>) =>
        delivery.payload.reason,
    });
  });
});

describe('an inbox store types the transaction handlers get', () => {
  it("gives a PostgreSQL inbox's handlers node-postgres's PoolClient", () => {
    const pool = {} as import('pg').Pool;
    const receiver = createWebhookReceiver({ seen: postgresInbox(pool, { namespace: 'billing' }) });
    void receiver.handle({} as Request, async (delivery, tx) => {
      expectTypeOf(tx).toEqualTypeOf<import('pg').PoolClient>();
      expectTypeOf(delivery.fencingToken).toEqualTypeOf<string | undefined>();
    });
    void receiver.handle({} as Request, {
      'meeting.ended': (delivery, tx) => {
        expectTypeOf(tx).toEqualTypeOf<import('pg').PoolClient>();
        expectTypeOf(delivery.payload.reason).toBeString();
      },
    });
  });
});
