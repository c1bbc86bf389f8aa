import { describe, expectTypeOf, it } from 'vitest';
import {
  createRealtimeKitClient,
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookEvent,
  type WebhookRequest,
} from '../src/index.js';

const rtk = createRealtimeKitClient({ apiToken: 't', accountId: 'a', appId: 'b' });

describe('public types', () => {
  it('create takes a WebhookRequest and resolves to a Webhook', () => {
    expectTypeOf(rtk.webhooks.create).parameter(0).toEqualTypeOf<WebhookRequest>();
    expectTypeOf(rtk.webhooks.create).returns.resolves.toEqualTypeOf<Webhook>();
  });

  it('rejects an unknown event name and a missing url at compile time', () => {
    rtk.webhooks.create({
      name: 'n',
      url: 'https://a.example',
      // @ts-expect-error: not one of the spec's events
      events: ['meeting.exploded'],
    });
    // @ts-expect-error: `url` is required
    rtk.webhooks.create({ name: 'n', events: ['meeting.started'] });
  });

  it('makes `enabled` optional in requests and required in responses', () => {
    expectTypeOf<WebhookRequest['enabled']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Webhook['enabled']>().toEqualTypeOf<boolean>();
  });

  it('exports the events as a literal tuple', () => {
    expectTypeOf(WEBHOOK_EVENTS[0]).toEqualTypeOf<'meeting.started'>();
    expectTypeOf<(typeof WEBHOOK_EVENTS)[number]>().toEqualTypeOf<WebhookEvent>();
  });

  it('keeps the id fields read-only on Webhook', () => {
    const webhook = {} as Webhook;
    // @ts-expect-error: id is readOnly in the spec
    webhook.id = 'x';
  });
});
