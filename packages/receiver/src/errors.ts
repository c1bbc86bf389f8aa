/** Why a delivery was refused. */
export type VerificationFailure =
  /** No `rtk-signature` header. */
  | 'missing-signature'
  /** No `rtk-uuid` or `rtk-webhook-id` header. */
  | 'missing-header'
  /** The signature is not base64, or does not match the body and the key. */
  | 'bad-signature'
  /** Signed, but not a JSON object with an `event` (or larger than `maxBodyBytes`). */
  | 'malformed-body'
  /** The public key could not be fetched or read; RealtimeKit should send the delivery again. */
  | 'key-unavailable';

// The answer a handler should give, so RealtimeKit retries exactly the deliveries worth retrying:
// a 5xx is retried, any other non-2xx is dropped.
const STATUS: Record<VerificationFailure, number> = {
  'missing-signature': 401,
  'missing-header': 400,
  'bad-signature': 401,
  'malformed-body': 400,
  'key-unavailable': 503,
};

/** A delivery that must not be trusted; `reason` says why, `status` what to answer. */
export class WebhookVerificationError extends Error {
  readonly reason: VerificationFailure;
  /** The HTTP status to answer with: 503 (retry later) for key-unavailable, else 400/401. */
  readonly status: number;

  constructor(reason: VerificationFailure, message: string, options?: { cause?: unknown }) {
    super(`${reason}: ${message}`, options);
    this.reason = reason;
    this.status = STATUS[reason];
  }

  override get name(): string {
    return 'WebhookVerificationError';
  }
}
