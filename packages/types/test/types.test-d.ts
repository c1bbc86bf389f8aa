import { describe, expectTypeOf, it } from 'vitest';
import type {
  components,
  operations,
  Webhook,
  WebhookEvent,
  WebhookRequest,
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
