import type { ValidationIssue } from '@realtimekit-webhooks/types';
import { describeErrorBody } from './error-body.js';

/** Base class of every error this client throws: `catch (e) { if (e instanceof RealtimeKitError) ... }`. */
export class RealtimeKitError extends Error {
  /** True only when the API may or may not have acted on the call (see OutcomeUnknownError). */
  readonly outcomeUnknown: boolean = false;

  override get name(): string {
    return this.constructor.name;
  }
}

/** One problem with the input, found before anything was sent. */
export type { ValidationIssue };

/** The input was rejected before any request was sent; `issues` lists every bad field. */
export class ValidationError extends RealtimeKitError {
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], context = 'Invalid input') {
    super(`${context}: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`);
    this.issues = issues;
  }
}

/** The API answered with a status that is not a success. Subclasses exist per status. */
export class APIError extends RealtimeKitError {
  /** The HTTP status of the response. */
  readonly status: number;
  /** The error code in the body, when it has one. */
  readonly code: number | undefined;
  /** The body parsed as JSON, or the raw text when it is not JSON (undefined when empty). */
  readonly body: unknown;
  /** The response headers. */
  readonly headers: Headers;

  constructor(status: number, body: unknown, headers: Headers, hint?: string) {
    const { code, detail } = describeErrorBody(body);
    const statusText = `${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;
    super(
      `${statusText}: ${detail ?? 'the response had no error message'}${hint ? ` (${hint})` : ''}`,
    );
    this.status = status;
    this.code = code;
    this.body = body;
    this.headers = headers;
  }
}

const STATUS_TEXT: Record<number, string> = {
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
export class BadRequestError extends APIError {}
/** 401: the token is missing or invalid. */
export class AuthenticationError extends APIError {}
/** 403: the token is valid but lacks the permission. */
export class PermissionDeniedError extends APIError {}
/** 404: no such account, app or webhook. */
export class NotFoundError extends APIError {}
/** 409: the request conflicts with the current state. */
export class ConflictError extends APIError {}
/** 422: the request was understood but cannot be processed. */
export class UnprocessableEntityError extends APIError {}
/** 429: too many requests; `retryAfterMs` says how long the API asked to wait, when it did. */
export class RateLimitError extends APIError {
  readonly retryAfterMs: number | undefined;

  constructor(status: number, body: unknown, headers: Headers, retryAfterMs: number | undefined) {
    super(status, body, headers);
    this.retryAfterMs = retryAfterMs;
  }
}
/** 500 and above: the API or a proxy in front of it failed. */
export class InternalServerError extends APIError {}

/** A success status whose body does not have the shape the spec documents (e.g. `data` missing). */
export class UnexpectedResponseError extends RealtimeKitError {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown, expected: string) {
    super(`${status} response did not match the API description: expected ${expected}`);
    this.status = status;
    this.body = body;
  }
}

/** The request could not be sent or its response could not be read (DNS, refused, reset). */
export class ConnectionError extends RealtimeKitError {
  /**
   * False only when the connection was certainly never made (refused, DNS failure), so the API
   * cannot have acted on the request; true when it may have.
   */
  readonly sent: boolean;

  constructor(message: string, options: { cause?: unknown; sent: boolean }) {
    super(message, { cause: options.cause });
    this.sent = options.sent;
  }
}
/** No complete response arrived within `timeoutMs`. */
export class TimeoutError extends ConnectionError {}
/** The caller's `signal` aborted the call. */
export class UserAbortError extends RealtimeKitError {}

/**
 * A create whose first response was lost (timeout, reset, 5xx) could not be confirmed either way
 * within the retry budget: the webhook may or may not exist. `cause` is the original failure.
 * List the webhooks (or call `ensure`) before creating again.
 */
export class OutcomeUnknownError extends RealtimeKitError {
  override readonly outcomeUnknown = true;
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
  if (status === 400) return new BadRequestError(status, body, headers);
  if (status === 401) return new AuthenticationError(status, body, headers, AUTH_HINT);
  if (status === 403) return new PermissionDeniedError(status, body, headers, AUTH_HINT);
  if (status === 404) return new NotFoundError(status, body, headers);
  if (status === 409) return new ConflictError(status, body, headers);
  if (status === 422) return new UnprocessableEntityError(status, body, headers);
  if (status === 429) return new RateLimitError(status, body, headers, retryAfterMs);
  if (status >= 500) return new InternalServerError(status, body, headers);
  return new APIError(status, body, headers);
}
