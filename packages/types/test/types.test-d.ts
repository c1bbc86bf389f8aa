import { describe, expectTypeOf, it } from 'vitest';
import type {
  components,
  operations,
  Webhook,
  WebhookEvent,
  WebhookPayload,
  WebhookPayloadFor,
  WebhookRequest,
  webhooks,
} from '../src/index.js';

describe('named exports are the generated component schemas', () => {
  it('maps each friendly name to its component', () => {
    expectTypeOf<Webhook>().toEqualTypeOf<components['schemas']['Webhook']>();
    expectTypeOf<WebhookRequest>().toEqualTypeOf<components['schemas']['WebhookRequest']>();
    expectTypeOf<WebhookEvent>().toEqualTypeOf<components['schemas']['WebhookEvent']>();
  });

  it('types the addWebhook 201 body as the success envelope', () => {
    type Created = operations['addWebhook']['responses'][201]['content']['application/json'];
    expectTypeOf<Created['data']>().toEqualTypeOf<Webhook>();
  });

  it('requires name, url and events in a request', () => {
    // @ts-expect-error: url and events are required
    const missing: WebhookRequest = { name: 'n' };
    // @ts-expect-error: not an event of the spec
    const wrongEvent: WebhookEvent = 'meeting.exploded';
    expectTypeOf(missing).toEqualTypeOf<WebhookRequest>();
    expectTypeOf(wrongEvent).toEqualTypeOf<WebhookEvent>();
  });
});

describe('delivery payloads', () => {
  it('has one payload per event, keyed by the event enum', () => {
    expectTypeOf<keyof webhooks>().toEqualTypeOf<WebhookEvent>();
    expectTypeOf<WebhookPayload['event']>().toEqualTypeOf<WebhookEvent>();
  });

  it('narrows on `event`', () => {
    const payload = {} as WebhookPayload;
    if (payload.event === 'recording.statusUpdate') {
      expectTypeOf(payload.recording.status).toEqualTypeOf<string>();
      expectTypeOf(payload).toEqualTypeOf<WebhookPayloadFor<'recording.statusUpdate'>>();
    }
    if (payload.event === 'meeting.chatSynced') {
      // @ts-expect-error: chatSynced is flat, with no meeting object
      payload.meeting;
      expectTypeOf(payload.chatDownloadUrl).toEqualTypeOf<string>();
    }
    if (payload.event === 'meeting.participantLeft') {
      expectTypeOf(payload.participant.leftAt).toEqualTypeOf<string>();
      expectTypeOf(payload.participant.peerId).toEqualTypeOf<string>();
    }
  });

  it('keeps status-dependent fields optional', () => {
    expectTypeOf<WebhookPayloadFor<'meeting.started'>['meeting']['endedAt']>().toEqualTypeOf<
      string | undefined
    >();
  });
});
