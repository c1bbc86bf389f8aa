import { isRedirectStatus } from '@realtimekit-webhooks/rules';
import type { ValidationIssue } from '@realtimekit-webhooks/types';
import { describeErrorBody } from './error-body.js';

/** Base class of every error this client throws: `catch (e) { if (e instanceof RealtimeKitError) ... }`. */
export class RealtimeKitError extends Error {
  /** True only when the API may or may not have acted on the call (see OutcomeUnknownError). */
  readonly outcomeUnknown: boolean = false;

  // Every class spells its name out: minifiers rename classes (Workers bundles are minified), and
  // `constructor.name` would then print one letter in logs and break code that reads `name`.
  /** The class's name, spelled out so that it survives minification. */
  override get name(): string {
    return 'RealtimeKitError';
  }
}

/** One problem with the input, found before anything was sent. */
export type { ValidationIssue };

/** The input was rejected before any request was sent; `issues` lists every bad field. */
export class ValidationError extends RealtimeKitError {
  /** Every problem found, each naming the field (`body.url`, `webhookId`) and the fix. */
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], context = 'Invalid input') {
    super(`${context}: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`);
    this.issues = issues;
  }

  /** The class's name, spelled out so that it survives minification. */

  override get name(): string {
    return 'ValidationError';
  }
}

/** The API answered with a status that is not a success. Subclasses exist per status. */
export class APIError extends RealtimeKitError {
  /** The HTTP status of the response (0 when a browser hides a redirect's status). */
  readonly status: number;
  /** The error code in the body, when it has one. */
  readonly code: number | undefined;
  /** The body parsed as JSON, or the raw text when it is not JSON (undefined when empty). */
  readonly body: unknown;
  /** The response headers. */
  readonly headers: Headers;
  /** How long the API asked to wait before a repeat (`retry-after`), when it did. */
  readonly retryAfterMs: number | undefined;

  constructor(
    status: number,
    body: unknown,
    headers: Headers,
    details: { hint?: string | undefined; retryAfterMs?: number | undefined } = {},
  ) {
    const { code, detail } = describeErrorBody(body);
    const statusText = `${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;
    const hint = details.hint ? ` (${details.hint})` : '';
    super(`${statusText}: ${detail ?? 'the response had no error message'}${hint}`);
    this.status = status;
    this.code = code;
    this.body = body;
    this.headers = headers;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** The class's name, spelled out so that it survives minification. */

  override get name(): string {
    return 'APIError';
  }
}

const STATUS_TEXT: Record<number, string> = {
  0: 'Redirect',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** 400: the API rejected the request's content. */
export class BadRequestError extends APIError {
  /** The class's name, spelled out so that it survives minification. */
  override get name(): string {
    return 'BadRequestError';
  }
}
/** 401: the token is missing or invalid. */
export class AuthenticationError extends APIError {
  /** The class's name, spelled out so that it survives minification. */
  override get name(): string {
    return 'AuthenticationError';
  }
}
/** 403: the token is valid but lacks the permission. */
export class PermissionDeniedError extends APIError {
  /** The class's name, spelled out so that it survives minification. */
  override get name(): string {
    return 'PermissionDeniedError';
  }
}
/** 404: no such account, app or webhook. */
export class NotFoundError extends APIError {
  /** The class's name, spelled out so that it survives minification. */
  override get name(): string {
    return 'NotFoundError';
  }
}
/** 409: the request conflicts with the current state. */
export class ConflictError extends APIError {
  /** The class's name, spelled out so that it survives minification. */
  override get name(): string {
    return 'ConflictError';
  }
}
/** 422: the request was understood but cannot be processed. */
export class UnprocessableEntityError extends APIError {
  /** The class's name, spelled out so that it survives minification. */
  override get name(): string {
    return 'UnprocessableEntityError';
  }
}
/** 429: too many requests; `retryAfterMs` says how long the API asked to wait, when it did. */
export class RateLimitError extends APIError {
  /** The class's name, spelled out so that it survives minification. */
  override get name(): string {
    return 'RateLimitError';
  }
}
/** 500 and above: the API or a proxy in front of it failed. */
export class InternalServerError extends APIError {
  /** The class's name, spelled out so that it survives minification. */
  override get name(): string {
    return 'InternalServerError';
  }
}

/**
 * A success status whose body is not what the spec documents: not JSON, or `data` missing or of
 * the wrong shape.
 */
export class UnexpectedResponseError extends RealtimeKitError {
  /** The success status the API answered with. */
  readonly status: number;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  readonly body: unknown;

  constructor(status: number, body: unknown, expected: string) {
    super(`${status} response did not match the API description: expected ${expected}`);
    this.status = status;
    this.body = body;
  }

  /** The class's name, spelled out so that it survives minification. */

  override get name(): string {
    return 'UnexpectedResponseError';
  }
}

/**
 * The response was larger than `maxResponseBytes`; reading stopped there. The API did answer, so
 * it may have acted on the call; the client does not repeat it.
 */
export class ResponseTooLargeError extends RealtimeKitError {
  /** The status of the response that was too large. */
  readonly status: number;
  /** The cap it crossed (`maxResponseBytes`). */
  readonly limitBytes: number;

  constructor(status: number, limitBytes: number) {
    super(
      `The ${status} response is larger than maxResponseBytes (${limitBytes} bytes); reading stopped there. Raise maxResponseBytes if this answer is expected.`,
    );
    this.status = status;
    this.limitBytes = limitBytes;
  }

  /** The class's name, spelled out so that it survives minification. */

  override get name(): string {
    return 'ResponseTooLargeError';
  }
}

/** The request could not be sent or its response could not be read (DNS, refused, reset). */
export class ConnectionError extends RealtimeKitError {
  /**
   * False only when the connection was certainly never made (refused, DNS failure, refused by the
   * runtime before it left), so the API cannot have acted on the request; true when it may have.
   */
  readonly sent: boolean;

  constructor(message: string, options: { cause?: unknown; sent: boolean }) {
    super(message, { cause: options.cause });
    this.sent = options.sent;
  }

  /** The class's name, spelled out so that it survives minification. */

  override get name(): string {
    return 'ConnectionError';
  }
}
/** No complete response arrived within `timeoutMs`. */
export class TimeoutError extends ConnectionError {
  /** The class's name, spelled out so that it survives minification. */
  override get name(): string {
    return 'TimeoutError';
  }
}
/**
 * The runtime refused to send the request at all (a header value or port it does not allow, a
 * `fetch` that threw before sending): nothing left, and repeating would fail the same way.
 */
export class RequestNotSentError extends ConnectionError {
  constructor(message: string, options: { cause?: unknown }) {
    super(message, { cause: options.cause, sent: false });
  }

  /** The class's name, spelled out so that it survives minification. */

  override get name(): string {
    return 'RequestNotSentError';
  }
}
/** The caller's `signal` aborted the call. */
export class UserAbortError extends RealtimeKitError {
  /** The class's name, spelled out so that it survives minification. */
  override get name(): string {
    return 'UserAbortError';
  }
}

/**
 * A create whose first response was lost (timeout, reset, 5xx, redirect) could not be confirmed
 * either way within the retry budget: the webhook may or may not exist. `cause` is the original
 * failure. List the webhooks (or call `ensure`) before creating again.
 */
export class OutcomeUnknownError extends RealtimeKitError {
  /** Always true: the API may or may not have acted on the call. */
  override readonly outcomeUnknown = true;

  /** The class's name, spelled out so that it survives minification. */

  override get name(): string {
    return 'OutcomeUnknownError';
  }
}

const AUTH_HINT =
  'check that the API token is set and has the "Realtime Admin" or "Realtime" permission';

/** The error class for a failed response, chosen by status. */
export function errorForStatus(
  status: number,
  body: unknown,
  headers: Headers,
  retryAfterMs: number | undefined,
): APIError {
  const details = { retryAfterMs };
  if (isRedirectStatus(status)) {
    const location = headers.get('location');
    const hint = `the API client does not follow redirects${location ? `; it pointed to ${location}` : ''}: check baseUrl`;
    return new APIError(status, body, headers, { ...details, hint });
  }
  if (status === 400) return new BadRequestError(status, body, headers, details);
  if (status === 401)
    return new AuthenticationError(status, body, headers, { ...details, hint: AUTH_HINT });
  if (status === 403)
    return new PermissionDeniedError(status, body, headers, { ...details, hint: AUTH_HINT });
  if (status === 404) return new NotFoundError(status, body, headers, details);
  if (status === 409) return new ConflictError(status, body, headers, details);
  if (status === 422) return new UnprocessableEntityError(status, body, headers, details);
  if (status === 429) return new RateLimitError(status, body, headers, details);
  if (status >= 500) return new InternalServerError(status, body, headers, details);
  return new APIError(status, body, headers, details);
}
