import { describe, expectTypeOf, it } from 'vitest';
import {
  createRealtimeKitClient,
  type RequestOptions,
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookEvent,
  type WebhookPatch,
  type WebhookRequest,
} from '../src/index.js';

const rtk = createRealtimeKitClient({ apiToken: 't', accountId: 'a', appId: 'b' });

describe('public types of webhooks', () => {
  it('create takes a WebhookRequest and resolves to a Webhook', () => {
    expectTypeOf(rtk.webhooks.create).parameters.toEqualTypeOf<[WebhookRequest, RequestOptions?]>();
    expectTypeOf(rtk.webhooks.create).returns.resolves.toEqualTypeOf<Webhook>();
  });

  it('list and listEvents take only options', () => {
    expectTypeOf(rtk.webhooks.list).parameters.toEqualTypeOf<[RequestOptions?]>();
    expectTypeOf(rtk.webhooks.list).returns.resolves.toEqualTypeOf<Webhook[]>();
    expectTypeOf(rtk.webhooks.listEvents).returns.resolves.toEqualTypeOf<WebhookEvent[]>();
  });

  it('get and delete take an id and resolve to a Webhook', () => {
    expectTypeOf(rtk.webhooks.get).parameters.toEqualTypeOf<[string, RequestOptions?]>();
    expectTypeOf(rtk.webhooks.get).returns.resolves.toEqualTypeOf<Webhook>();
    expectTypeOf(rtk.webhooks.delete).parameters.toEqualTypeOf<[string, RequestOptions?]>();
    expectTypeOf(rtk.webhooks.delete).returns.resolves.toEqualTypeOf<Webhook>();
  });

  it('replace needs a whole WebhookRequest; update takes any subset', () => {
    expectTypeOf(rtk.webhooks.replace).parameters.toEqualTypeOf<
      [string, WebhookRequest, RequestOptions?]
    >();
    expectTypeOf(rtk.webhooks.update).parameters.toEqualTypeOf<
      [string, WebhookPatch, RequestOptions?]
    >();
    expectTypeOf<WebhookPatch>().toEqualTypeOf<Partial<WebhookRequest>>();
    // @ts-expect-error: replace needs name, url and events
    rtk.webhooks.replace('id', { enabled: false });
    rtk.webhooks.update('id', { enabled: false });
  });

  it('rejects an unknown event name, a missing url and an unknown field at compile time', () => {
    rtk.webhooks.create({
      name: 'n',
      url: 'https://a.example',
      // @ts-expect-error: not one of the spec's events
      events: ['meeting.exploded'],
    });
    // @ts-expect-error: `url` is required
    rtk.webhooks.create({ name: 'n', events: ['meeting.started'] });
    // @ts-expect-error: `enable` is not a field (the spec closes request bodies)
    rtk.webhooks.update('id', { enable: true });
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

  it('accepts per-call overrides', () => {
    expectTypeOf<RequestOptions>().toHaveProperty('signal');
    expectTypeOf<RequestOptions>().toHaveProperty('timeoutMs');
    expectTypeOf<RequestOptions>().toHaveProperty('accountId');
    expectTypeOf<RequestOptions>().toHaveProperty('appId');
  });
});
