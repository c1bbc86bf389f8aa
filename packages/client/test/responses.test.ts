// Odd and malformed responses through a passed-in fetch: each becomes the right error class with a
// readable message; none escapes as a raw SyntaxError/TypeError or an unhandled rejection.
import { describe, expect, it } from 'vitest';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UnexpectedResponseError,
  UnprocessableEntityError,
  UserAbortError,
} from '../src/index.js';
import { json, recordingFetch, testClient } from './helpers.js';

const text = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers });
const ID = '0d1f069d-43bb-489a-ad8c-7eb95592ba8e';
const valid = { name: 'n', url: 'https://a.example/x', events: ['meeting.ended' as const] };

type Want = { class: new (...args: never[]) => Error; message: RegExp; fields?: object };

const table: [string, () => Response, Want][] = [
  [
    "seed's 401 (a JSON string holding non-JSON text)",
    () => json(401, '{\n  message: "Unauthorized"\n}\n'),
    {
      class: AuthenticationError,
      message: /^401 Unauthorized: Unauthorized \(check that the API token/,
      fields: { status: 401, code: undefined },
    },
  ],
  [
    'bare {message} 401',
    () => json(401, { message: 'Unauthorized' }),
    {
      class: AuthenticationError,
      message: /^401 Unauthorized: Unauthorized/,
      fields: { body: { message: 'Unauthorized' } },
    },
  ],
  [
    'RealtimeKit 400 envelope',
    () =>
      json(400, {
        success: false,
        error: { code: 400, message: 'BAD_REQUEST: "url" must be a valid uri' },
      }),
    {
      class: BadRequestError,
      message: /^400 Bad Request: BAD_REQUEST: "url" must be a valid uri$/,
      fields: { code: 400 },
    },
  ],
  [
    'Cloudflare v4 403 envelope',
    () =>
      json(403, {
        success: false,
        errors: [{ code: 10000, message: 'Authentication error' }],
        messages: [],
        result: null,
      }),
    {
      class: PermissionDeniedError,
      message: /^403 Forbidden: Authentication error/,
      fields: { code: 10000 },
    },
  ],
  [
    '404 RealtimeKit envelope',
    () => json(404, { success: false, error: { code: 404, message: 'Webhook not found' } }),
    { class: NotFoundError, message: /Webhook not found/ },
  ],
  [
    '409',
    () => json(409, { message: 'conflict' }),
    { class: ConflictError, message: /^409 Conflict: conflict$/ },
  ],
  [
    '422',
    () => json(422, { message: 'nope' }),
    { class: UnprocessableEntityError, message: /^422 Unprocessable Entity: nope$/ },
  ],
  [
    '429 with retry-after seconds',
    () =>
      json(
        429,
        { success: false, errors: [{ code: 971, message: 'Please wait' }] },
        { 'retry-after': '7' },
      ),
    {
      class: RateLimitError,
      message: /^429 Too Many Requests: Please wait$/,
      fields: { retryAfterMs: 7000 },
    },
  ],
  [
    '429 with retry-after-ms',
    () => json(429, {}, { 'retry-after-ms': '250' }),
    {
      class: RateLimitError,
      message: /^429 Too Many Requests: the response had no error message$/,
      fields: { retryAfterMs: 250 },
    },
  ],
  [
    'HTML 502 from a proxy',
    () =>
      text(502, '<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>', {
        'content-type': 'text/html',
      }),
    {
      class: InternalServerError,
      message: /^502 Bad Gateway: 502 Bad Gateway$/,
      fields: { status: 502 },
    },
  ],
  [
    'empty 503',
    () => text(503, ''),
    {
      class: InternalServerError,
      message: /^503 Service Unavailable: the response had no error message$/,
      fields: { body: undefined },
    },
  ],
  [
    'plain-text 500',
    () => text(500, 'upstream connect error'),
    {
      class: InternalServerError,
      message: /^500 Internal Server Error: upstream connect error$/,
      fields: { body: 'upstream connect error' },
    },
  ],
  [
    '418, a status with no class of its own',
    () => json(418, { message: 'teapot' }),
    { class: APIError, message: /^418: teapot$/ },
  ],
  [
    'truncated JSON with 201',
    () => text(201, '{"data":{"id":"0d1f', { 'content-type': 'application/json' }),
    {
      class: UnexpectedResponseError,
      message: /^201 response did not match the API description/,
      fields: { body: '{"data":{"id":"0d1f' },
    },
  ],
  [
    'JSON of the wrong shape with 201',
    () => json(201, { result: { id: 'x' }, success: true }),
    { class: UnexpectedResponseError, message: /expected `\{ data: Webhook, success \}`/ },
  ],
  [
    'data of the wrong shape with 201',
    () => json(201, { data: { id: 1 }, success: true }),
    { class: UnexpectedResponseError, message: /expected/ },
  ],
  [
    'empty 201',
    () => text(201, ''),
    { class: UnexpectedResponseError, message: /expected/, fields: { body: undefined } },
  ],
];

// Through `replace` (a PUT) with retries off: the mapping of one response, nothing else.
describe('odd responses', () => {
  it.each(table)('%s', async (_name, respond, want) => {
    const { fetch } = recordingFetch(respond);
    const error = await testClient({ fetch })
      .webhooks.replace(ID, valid, { maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(want.class);
    expect((error as Error).message).toMatch(want.message);
    if (want.fields) expect(error).toMatchObject(want.fields);
  });
});

describe('failures without a response', () => {
  it('turns a network failure into ConnectionError', async () => {
    const fetch = async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      });
    };
    // maxRetries 0: the class is the subject here, not the retries (retry-timing.test.ts).
    const error = await testClient({ fetch, maxRetries: 0 })
      .webhooks.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ sent: true });
    expect((error as Error).message).toContain('fetch failed (socket hang up)');
  });

  it('marks a refused connection as not sent', async () => {
    const fetch = async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    };
    // maxRetries 0: the class is the subject here, not the retries (retry-timing.test.ts).
    const error = await testClient({ fetch, maxRetries: 0 })
      .webhooks.list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ sent: false });
  });

  it('turns a response slower than timeoutMs into TimeoutError', async () => {
    const fetch = (request: Request) =>
      new Promise<Response>((_resolve, reject) => {
        request.signal.addEventListener('abort', () => reject(request.signal.reason));
      });
    const error = await testClient({ fetch, timeoutMs: 20, maxRetries: 0 })
      .webhooks.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe('No complete response within 20 ms');
  });

  it("turns the caller's abort into UserAbortError, and sends nothing when already aborted", async () => {
    const { fetch, recorded } = recordingFetch(() => json(200, { data: [], success: true }));
    const controller = new AbortController();
    controller.abort();
    const error = await testClient({ fetch })
      .webhooks.list({ signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserAbortError);
    expect(recorded.requests).toHaveLength(0);
  });
});
