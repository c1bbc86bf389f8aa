// A body that something else read before the receiver: a framework's JSON parser, a middleware
// that logged it. Re-serialised JSON never verifies, and waiting for a stream that already ended
// never settles, so it is named at once: a 500 (RealtimeKit retries, and the retry succeeds once
// the route is fixed) whose message says what happened and how to fix it. A 4xx would make
// RealtimeKit drop the delivery for good.
import { WebhookVerificationError } from './errors.js';

const FIX =
  "give this route the raw body (Express: the route before app.use(express.json()), or express.raw({ type: 'application/json' }) on a route no JSON parser runs before; Fastify: a parseAs 'buffer' content-type parser and handleRaw; Hono: handle(c.req.raw) before anything reads it)";

/** The error for a body consumed before the receiver got it; `cause` says how it was found. */
export function bodyConsumed(cause: string): WebhookVerificationError {
  return new WebhookVerificationError(
    'body-consumed',
    `${cause}, and the signature covers the exact bytes sent (answered 500 so RealtimeKit retries): ${FIX}`,
  );
}

/** Why `body` is not a raw body (bytes or text), as a cause for `bodyConsumed`. */
export function notRawBodyCause(body: unknown): string {
  if (body === undefined || body === null)
    return `no body was given (${String(body)}): a body parser may have read it first`;
  if (typeof body === 'object')
    return 'the body arrived already parsed (an object, not bytes or text): a JSON body parser ran before the receiver';
  return `the body is a ${typeof body}, not bytes or text`;
}

/** The error for a body that stopped arriving before its end. */
export function bodyTimedOut(timeoutMs: number): WebhookVerificationError {
  return new WebhookVerificationError(
    'body-timeout',
    `the body did not arrive within ${timeoutMs} ms; answered 503 so RealtimeKit retries`,
  );
}
