/** Why a delivery was refused. */
export type VerificationFailure =
  /** No `rtk-signature` header. */
  | 'missing-signature'
  /** No `rtk-uuid` or `rtk-webhook-id` header. */
  | 'missing-header'
  /** A delivery header is present but unusable (an `rtk-uuid` longer than 128 characters). */
  | 'invalid-header'
  /** The signature is not base64, or does not match the body and the key. */
  | 'bad-signature'
  /** Signed, but not a JSON object with an `event` name. */
  | 'malformed-body'
  /** The body is larger than `maxBodyBytes`; reading stopped there. */
  | 'body-too-large'
  /**
   * Something read or parsed the body before the receiver (a framework's JSON parser): the
   * message says how to give the route the raw body. 500, so the retry succeeds once fixed.
   */
  | 'body-consumed'
  /** The body stopped arriving for `bodyTimeoutMs`; RealtimeKit should send the delivery again. */
  | 'body-timeout'
  /**
   * The public key could not be fetched or read; RealtimeKit should send the delivery again.
   */
  | 'key-unavailable'
  /**
   * The signature matches no key held, and the key URL may not be asked again yet (at most once
   * a minute): a forgery, or a key rotated since the last fetch. 503, so a rotation loses nothing.
   */
  | 'signature-unconfirmed'
  /** The seen store (de-duplication) failed; RealtimeKit should send the delivery again. */
  | 'store-unavailable'
  /** `urlSecret` is set and the request URL does not carry it: not a delivery for this service. */
  | 'wrong-secret'
  /** `webhookIds` is set and `rtk-webhook-id` is not one of them. */
  | 'unknown-webhook'
  /** `organizationIds` is set and the signed payload names another organization, or none. */
  | 'foreign-organization'
  /** `urlSecret` is set but the request URL was not given to `verifyRaw`/`handleRaw`. */
  | 'secret-unchecked';

// The answer a handler should give, so RealtimeKit retries exactly the deliveries worth retrying:
// a 5xx is retried, any other non-2xx is recorded as failed and never sent again.
const STATUS: Record<VerificationFailure, number> = {
  'missing-signature': 401,
  'missing-header': 400,
  'invalid-header': 400,
  'bad-signature': 401,
  'malformed-body': 400,
  'body-too-large': 413,
  'body-consumed': 500,
  'body-timeout': 503,
  'key-unavailable': 503,
  'signature-unconfirmed': 503,
  'store-unavailable': 503,
  'wrong-secret': 403,
  'unknown-webhook': 403,
  'foreign-organization': 403,
  'secret-unchecked': 500,
};

/** A delivery that must not be trusted (or not yet); `reason` says why, `status` what to answer. */
export class WebhookVerificationError extends Error {
  readonly reason: VerificationFailure;
  /** The HTTP status to answer with: 503 (retry later) when the fault is ours, else 400/401/413. */
  readonly status: number;

  constructor(reason: VerificationFailure, message: string, options?: { cause?: unknown }) {
    super(`${reason}: ${message}`, options);
    this.reason = reason;
    this.status = STATUS[reason];
  }

  // Explicit, so the name survives minification (a bundler renames classes).
  override get name(): string {
    return 'WebhookVerificationError';
  }
}
