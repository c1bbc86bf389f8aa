// The per-call options of the webhooks methods and functions, and the patch `update` takes. Their
// own module so that the functional entry (operations.ts) uses them without exporting them a
// second time: users import the names from the package's main entry.
import type { PatchWebhookRequest } from '@realtimekit-webhooks/types';

/** The fields of a webhook to change with `update`; those left out keep their value. */
export type WebhookPatch = PatchWebhookRequest;

/** Per-call options of every webhooks method. */
export interface RequestOptions {
  /** Aborts the call; it then rejects with `UserAbortError`. */
  signal?: AbortSignal | undefined;
  /** Time limit of each attempt, in milliseconds. Default: the client's (60 000). */
  timeoutMs?: number | undefined;
  /** How many times a failed call may be repeated. Default: the client's (2). */
  maxRetries?: number | undefined;
  /** Overrides the client's account id for this call. */
  accountId?: string | undefined;
  /** Overrides the client's app id for this call. */
  appId?: string | undefined;
}

/** Options of `ensure`. */
export interface EnsureOptions extends RequestOptions {
  /** Delete the other webhooks that share the name (the oldest is kept). Default: false. */
  pruneDuplicates?: boolean | undefined;
}
