// The fake's state: webhooks in memory, as the API would keep them.
import type { Webhook, WebhookRequest } from '@realtimekit-webhooks/types';

/** Every webhook the fake holds, and the operations the API offers on them. */
export class WebhookStore {
  readonly webhooks = new Map<string, Webhook>();
  #clock = Date.parse('2026-01-01T00:00:00.000Z');

  /** A strictly increasing timestamp, so `created_at` never ties. */
  #now(): string {
    this.#clock += 1;
    return new Date(this.#clock).toISOString();
  }

  create(body: WebhookRequest): Webhook {
    const now = this.#now();
    const webhook: Webhook = {
      id: crypto.randomUUID(),
      created_at: now,
      updated_at: now,
      enabled: body.enabled ?? true,
      events: [...body.events],
      name: body.name,
      url: body.url,
    };
    this.webhooks.set(webhook.id, webhook);
    return webhook;
  }

  list(): Webhook[] {
    return [...this.webhooks.values()];
  }

  get(id: string): Webhook | undefined {
    return this.webhooks.get(id);
  }

  update(id: string, fields: Partial<WebhookRequest>, replace: boolean): Webhook | undefined {
    const current = this.webhooks.get(id);
    if (!current) return undefined;
    const next: Webhook = {
      ...current,
      ...fields,
      ...(replace ? { enabled: fields.enabled ?? true } : {}),
      updated_at: this.#now(),
    };
    this.webhooks.set(id, next);
    return next;
  }

  delete(id: string): Webhook | undefined {
    const current = this.webhooks.get(id);
    this.webhooks.delete(id);
    return current;
  }

  clear(): void {
    this.webhooks.clear();
  }
}
