// The ceiling on a delivery's body and the error for crossing it; the reader itself is the one
// every package shares (`readBoundedStream` in the private rules package).
import { WebhookVerificationError } from './errors.js';

/** The default ceiling on a delivery's body: 1 MiB, far above any documented payload. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The error for a body over `maxBytes`. */
export function bodyTooLarge(maxBytes: number): WebhookVerificationError {
  return new WebhookVerificationError(
    'body-too-large',
    `the body is larger than ${maxBytes} bytes`,
  );
}
