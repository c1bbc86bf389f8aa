// The fake's state: webhooks in memory, as the API keeps them, each in the scope (account and app)
// it was created in. A webhook of another app is not found, as with the real API, so parallel
// test files that each use their own app id cannot see or disturb each other's webhooks.
import type { Webhook, WebhookRequest } from '@realtimekit-webhooks/types';

/** An account and app: the part of the API's paths every webhook lives under. */
export interface Scope {
  accountId: string;
  appId: string;
}

/** Some of a scope: an account, an app, both, or (empty) every scope. */
export interface ScopeFilter {
  accountId?: string | undefined;
  appId?: string | undefined;
}

/**
 * Whether `scope` (a webhook's, a delivery attempt's) lies within `filter`: the mock's one scope
 * rule. Fields the filter leaves out match any; no filter matches every scope.
 */
export function inScope(scope: Scope | undefined, filter: ScopeFilter | undefined): boolean {
  return (
    (filter?.accountId === undefined || scope?.accountId === filter.accountId) &&
    (filter?.appId === undefined || scope?.appId === filter.appId)
  );
}

/** Every webhook the fake holds, and the operations the API offers on them. */
export class WebhookStore {
  readonly webhooks = new Map<string, Webhook>();
  /** The scope each webhook was created in. */
  readonly #scopes = new Map<string, Scope>();
  #clock = Date.parse('2026-01-01T00:00:00.000Z');

  /** A strictly increasing timestamp, so `created_at` never ties. */
  #now(): string {
    this.#clock += 1;
    return new Date(this.#clock).toISOString();
  }

  #inScope(id: string, filter: ScopeFilter | undefined): boolean {
    return inScope(this.#scopes.get(id), filter);
  }

  create(body: WebhookRequest, scope: Scope): Webhook {
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
    this.#scopes.set(webhook.id, { ...scope });
    return webhook;
  }

  /** The webhooks within `filter` (an app, an account, both), or of every scope. */
  list(filter?: ScopeFilter): Webhook[] {
    return [...this.webhooks.values()].filter((webhook) => this.#inScope(webhook.id, filter));
  }

  /** The scope a webhook was created in. */
  scopeOf(id: string): Scope | undefined {
    const scope = this.#scopes.get(id);
    return scope && { ...scope };
  }

  get(id: string, scope?: Scope): Webhook | undefined {
    return this.#inScope(id, scope) ? this.webhooks.get(id) : undefined;
  }

  update(
    id: string,
    fields: Partial<WebhookRequest>,
    replace: boolean,
    scope?: Scope,
  ): Webhook | undefined {
    const current = this.get(id, scope);
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

  delete(id: string, scope?: Scope): Webhook | undefined {
    const current = this.get(id, scope);
    if (current) {
      this.webhooks.delete(id);
      this.#scopes.delete(id);
    }
    return current;
  }

  /** Forgets the webhooks within `filter`, or every webhook. */
  clear(filter?: ScopeFilter): void {
    for (const webhook of this.list(filter)) this.delete(webhook.id);
  }
}
