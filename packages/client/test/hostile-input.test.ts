// The README's promises, tried as an attacker (or an unlucky environment) would: a server that
// echoes the token, redirects, answers too much or the wrong type; ids, options, base URLs and
// bodies that the types forbid, arriving from JavaScript or files. Each table row states the exact
// behaviour, and each would fail if that behaviour broke.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { retryDelayMs } from '../src/backoff.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../src/config.js';
import * as publicApi from '../src/index.js';
import {
  APIError,
  ConnectionError,
  createRealtimeKitClient,
  InternalServerError,
  RateLimitError,
  type RealtimeKitClient,
  RealtimeKitError,
  RequestNotSentError,
  ResponseTooLargeError,
  UnexpectedResponseError,
  ValidationError,
} from '../src/index.js';
import { createRawClient } from '../src/raw.js';
import {
  ACCOUNT_ID,
  APP_ID,
  everyRendering,
  json,
  recordingFetch,
  TEST_TOKEN,
  testClient,
  testOptions,
} from './helpers.js';

const ID = '0d1f069d-43bb-489a-ad8c-7eb95592ba8e';
const valid = { name: 'n', url: 'https://a.example/x', events: ['meeting.ended' as const] };
const stored = {
  ...valid,
  id: ID,
  enabled: true,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
};
const one = (webhook = stored) => ({ success: true, data: webhook });
const many = (webhooks: unknown[]) => ({ success: true, data: webhooks });

/** The error a call rejects with (fails the test if it resolves). */
async function failure(call: () => Promise<unknown>): Promise<unknown> {
  return call().then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

const loose = (rtk: RealtimeKitClient) =>
  rtk.webhooks as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('the token: trimmed, refused when broken, scrubbed from every field', () => {
  it.each([
    ['a final newline (secret file)', `${TEST_TOKEN}\n`],
    ['a CRLF line end (.env from Windows)', `${TEST_TOKEN}\r\n`],
    ['surrounding spaces and tabs', ` \t${TEST_TOKEN} `],
  ])(
    'surrounding whitespace from %s is trimmed before sending and scrubbing',
    async (_how, token) => {
      const { fetch, recorded } = recordingFetch((request) =>
        json(400, { message: `echo ${request.headers.get('authorization')}` }),
      );
      const error = await failure(() =>
        testClient({ apiToken: token, fetch }).webhooks.list({ maxRetries: 0 }),
      );
      expect(recorded.requests[0]?.headers.get('authorization')).toBe(`Bearer ${TEST_TOKEN}`);
      expect((error as Error).message).toBe('400 Bad Request: echo Bearer [redacted]');
    },
  );

  it.each([
    ['a space inside', 'test-token abc', 'the `apiToken` option', 11],
    ['a line break inside', 'test-token\nabc', 'the `apiToken` option', 11],
    ['a NUL inside', 'test-token\u0000abc', 'the `apiToken` option', 11],
    ['a DEL inside', 'test\u007ftoken', 'the `apiToken` option', 5],
  ])(
    'a token with %s is refused at construction, naming where it came from',
    (_how, token, source, at) => {
      let error: unknown;
      try {
        createRealtimeKitClient({ apiToken: token, accountId: ACCOUNT_ID, appId: APP_ID });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ValidationError);
      const issue = (error as ValidationError).issues[0];
      expect(issue?.path).toBe('apiToken');
      expect(issue?.message).toContain(
        `${source} contains a space, line break or control character at position ${at}`,
      );
      expect(issue?.message).toContain('line break');
      expect(everyRendering(error).join('\n')).not.toContain(token);
    },
  );

  it('names CLOUDFLARE_API_TOKEN when the broken token came from the environment', () => {
    const saved = process.env.CLOUDFLARE_API_TOKEN;
    process.env.CLOUDFLARE_API_TOKEN = 'from env\twith a tab';
    try {
      expect(() => createRealtimeKitClient({ accountId: ACCOUNT_ID, appId: APP_ID })).toThrow(
        /apiToken CLOUDFLARE_API_TOKEN contains a space, line break or control character at position 5/,
      );
    } finally {
      if (saved === undefined) delete process.env.CLOUDFLARE_API_TOKEN;
      else process.env.CLOUDFLARE_API_TOKEN = saved;
    }
  });

  it.each([
    ['a number', 12345],
    ['an object', { token: 'x' }],
  ])('a token that is %s is refused', (_what, token) => {
    expect(() =>
      createRealtimeKitClient({ apiToken: token as never, accountId: ACCOUNT_ID, appId: APP_ID }),
    ).toThrow(/apiToken must be a string/);
  });

  // Echo forms x error fields: where a hostile server or proxy puts the token, and where the
  // client would carry it. `expected` is the class the error must keep after scrubbing.
  const echoes: [string, (request: Request) => Response | Promise<Response>, object][] = [
    ['the message', () => json(400, { message: `bad ${TEST_TOKEN}` }), { status: 400 }],
    ['a body value', (r) => json(400, { debug: { auth: r.headers.get('authorization') } }), {}],
    ['a body key', () => json(400, { [`Bearer ${TEST_TOKEN}`]: true }), {}],
    ['a header value', () => json(400, {}, { 'x-echo': `Bearer ${TEST_TOKEN}` }), {}],
    ['a header name', () => json(400, {}, { [`x-${TEST_TOKEN}`]: 'yes' }), {}],
    [
      'the body percent-encoded',
      () => json(400, { q: encodeURIComponent(`a b ${TEST_TOKEN}/`) }),
      {},
    ],
    ['base64 of "Bearer <token>"', () => json(400, { basic: base64(`Bearer ${TEST_TOKEN}`) }), {}],
    ['base64 of the token', () => json(400, { b: base64(TEST_TOKEN) }), {}],
    [
      'a non-JSON body',
      () => new Response(`<pre>Authorization: Bearer ${TEST_TOKEN}</pre>`, { status: 502 }),
      {},
    ],
    ['a 2xx body that is not the documented shape', () => json(200, { echoed: TEST_TOKEN }), {}],
  ];

  it.each(echoes)(
    'a server that echoes the token in %s: no rendering of the error shows it',
    async (_where, respond, fields) => {
      const error = await failure(() =>
        testClient({ fetch: async (r) => respond(r) }).webhooks.list({ maxRetries: 0 }),
      );
      expect(error).toBeInstanceOf(RealtimeKitError);
      expect(error).toMatchObject(fields);
      const shown = everyRendering(error).join('\n');
      for (const spelling of [
        TEST_TOKEN,
        encodeURIComponent(TEST_TOKEN),
        base64(TEST_TOKEN),
        base64(`Bearer ${TEST_TOKEN}`),
      ]) {
        expect(shown).not.toContain(spelling);
      }
      const e = error as APIError;
      e.headers?.forEach((value, name) => {
        expect(`${name}: ${value}`).not.toContain(TEST_TOKEN);
      });
    },
  );

  // Errors the fetch throws: their message, their cause chain, a request they carry.
  const thrown: [string, (request: Request) => never][] = [
    [
      'a message quoting the header',
      (r) => {
        throw new TypeError(`proxy refused: ${r.headers.get('authorization')}`);
      },
    ],
    [
      'a cause chain two deep',
      () => {
        throw new TypeError('fetch failed', {
          cause: new Error('upstream', { cause: new Error(`token=${TEST_TOKEN}`) }),
        });
      },
    ],
    [
      'the request it failed on',
      (r) => {
        throw Object.assign(new Error('request failed'), {
          request: r,
          config: { headers: Object.fromEntries(r.headers) },
        });
      },
    ],
  ];

  it.each(thrown)(
    'a fetch that throws an error with %s: scrubbed, class and code kept',
    async (_what, fail) => {
      const error = await failure(() =>
        testClient({ fetch: async (r) => fail(r) }).webhooks.list({ maxRetries: 0 }),
      );
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error).toMatchObject({ sent: true });
      expect(everyRendering(error).join('\n')).not.toContain(TEST_TOKEN);
      expect(everyRendering((error as Error).cause).join('\n')).not.toContain(TEST_TOKEN);
    },
  );

  it('keeps the code of a scrubbed cause, so code that reads it still works', async () => {
    const error = await failure(() =>
      testClient({
        fetch: async () => {
          throw Object.assign(new Error(`connect ECONNREFUSED (${TEST_TOKEN})`), {
            code: 'ECONNREFUSED',
          });
        },
      }).webhooks.list({ maxRetries: 0 }),
    );
    expect(error).toMatchObject({ sent: false, cause: { code: 'ECONNREFUSED' } });
    expect(everyRendering(error).join('\n')).not.toContain(TEST_TOKEN);
  });

  it.each([
    [
      'a short token standing alone is scrubbed',
      'k9',
      'token k9 rejected',
      'token [redacted] rejected',
    ],
    [
      'a short token inside other words is left alone',
      'k9',
      'check k9x and xk9',
      'check k9x and xk9',
    ],
    [
      'a one-letter token does not garble the message',
      'e',
      'the request needs more data',
      'the request needs more data',
    ],
  ])('%s', async (_what, token, serverMessage, shown) => {
    const error = await failure(() =>
      testClient({
        apiToken: token,
        fetch: async () => json(400, { message: serverMessage }),
      }).webhooks.list(),
    );
    expect((error as Error).message).toBe(`400 Bad Request: ${shown}`);
  });
});

describe('redirects are never followed', () => {
  let target: Server;
  let targetHits = 0;
  let redirector: Server;
  let redirectorUrl = '';
  let status = 302;

  beforeAll(async () => {
    target = createServer((_request, response) => {
      targetHits += 1;
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(one()));
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetPort = (target.address() as AddressInfo).port;
    redirector = createServer((request, response) => {
      request.resume();
      response
        .writeHead(status, { location: `http://127.0.0.1:${targetPort}${request.url}` })
        .end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/client/v4`;
  });
  afterAll(() => {
    target.close();
    redirector.close();
  });

  it.each([301, 302, 303, 307, 308])(
    'a real %i is an APIError and the redirect target is never called',
    async (code) => {
      status = code;
      targetHits = 0;
      const rtk = testClient({ baseUrl: redirectorUrl });
      const error = await failure(() => rtk.webhooks.get(ID));
      expect(error).toBeInstanceOf(APIError);
      expect(error).toMatchObject({ status: code });
      expect((error as Error).message).toMatch(
        /does not follow redirects; it pointed to http:\/\/127\.0\.0\.1:\d+\//,
      );
      // The raw client goes through the same guard.
      const raw = await createRawClient(testOptions({ baseUrl: redirectorUrl })).GET(
        '/accounts/{account_id}/realtime/kit/{app_id}/webhooks',
        {
          params: { path: { account_id: ACCOUNT_ID, app_id: APP_ID } },
        },
      );
      expect(raw.response.status).toBe(code);
      expect(targetHits).toBe(0);
    },
  );

  it.each([
    ['with the webhook', 'resolves to it', [stored], 1],
    ['without it', 'POSTs once more', [], 2],
  ])(
    'a create answered 303 lists first: %s there, it %s',
    async (_case, _outcome, existing, posts) => {
      let postCount = 0;
      const { fetch, recorded } = recordingFetch((request) => {
        if (request.method === 'GET') return json(200, many(existing));
        postCount += 1;
        return postCount === 1
          ? new Response(null, { status: 303, headers: { location: 'https://elsewhere.example/' } })
          : json(201, one());
      });
      const webhook = await testClient({ fetch, backoff: { initialMs: 1 } }).webhooks.create(valid);
      expect(webhook.id).toBe(ID);
      expect(recorded.requests.map((r) => r.method)).toEqual(
        posts === 1 ? ['POST', 'GET'] : ['POST', 'GET', 'POST'],
      );
      expect(recorded.requests.every((r) => r.redirect === 'manual')).toBe(true);
    },
  );

  it('a browser-style opaque redirect (status 0) is an APIError too', async () => {
    const opaque = Response.error(); // status 0, like a manual redirect in a browser
    Object.defineProperty(opaque, 'type', { value: 'opaqueredirect' });
    const error = await failure(() => testClient({ fetch: async () => opaque }).webhooks.get(ID));
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 0 });
  });
});

describe('base URL forms', () => {
  const rows: [string, unknown, string | RegExp][] = [
    ['https', 'https://api.example.com/client/v4', 'https://api.example.com/client/v4/accounts/'],
    [
      'https with trailing slashes',
      'https://api.example.com/client/v4//',
      'https://api.example.com/client/v4/accounts/',
    ],
    [
      'a URL object',
      new URL('https://api.example.com/client/v4'),
      'https://api.example.com/client/v4/accounts/',
    ],
    ['http on 127.0.0.1', 'http://127.0.0.1:4010', 'http://127.0.0.1:4010/accounts/'],
    ['http on localhost', 'http://localhost:4010/x', 'http://localhost:4010/x/accounts/'],
    ['http on [::1]', 'http://[::1]:4010', 'http://[::1]:4010/accounts/'],
    ['http elsewhere', 'http://api.example.com', /baseUrl must use https:\/\//],
    [
      'http on a host that only starts like localhost',
      'http://localhost.example.com',
      /baseUrl must use https:\/\//,
    ],
    [
      'http on 127.0.0.1 as a subdomain',
      'http://127.0.0.1.example.com',
      /baseUrl must use https:\/\//,
    ],
    ['ftp', 'ftp://api.example.com', /baseUrl must use https:\/\//],
    [
      'userinfo',
      'https://user:pass@api.example.com',
      /baseUrl must not contain a user name or password/,
    ],
    [
      'a bare user@',
      'https://user@api.example.com',
      /baseUrl must not contain a user name or password/,
    ],
    ['a space', 'https://api.example.com/client v4', /baseUrl must not contain spaces/],
    ['a trailing newline', 'https://api.example.com\n', /baseUrl must not contain spaces/],
    ['a query', 'https://api.example.com/?x=1', /baseUrl must not have a query/],
    ['a fragment', 'https://api.example.com/#top', /baseUrl must not have a query/],
    ['relative', '/client/v4', /baseUrl must be an absolute URL/],
    ['a number', 42, /baseUrl must be a string or a URL, not a number/],
    ['null (taken as unset)', null, 'https://api.cloudflare.com/client/v4/accounts/'],
    ['a boolean', true, /baseUrl must be a string or a URL, not a boolean/],
  ];

  it.each(rows)('%s', async (_form, baseUrl, want) => {
    const { fetch, recorded } = recordingFetch(() => json(200, many([])));
    const make = () => testClient({ baseUrl: baseUrl as string, fetch });
    if (typeof want === 'string') {
      await make().webhooks.list();
      expect(recorded.requests[0]?.url.startsWith(want)).toBe(true);
    } else {
      expect(make).toThrow(ValidationError);
      expect(make).toThrow(want);
      expect(recorded.requests).toHaveLength(0);
    }
  });

  it.each([
    [
      'plain http elsewhere',
      'http://api.example.com/client/v4',
      ValidationError,
      /baseUrl must use https/,
    ],
    ['ftp', 'ftp://api.example.com/client/v4', ValidationError, /baseUrl must use https/],
    // The runtime itself refuses to build this request, before the client's guard sees it.
    ['userinfo', 'https://user:pw@api.example.com/client/v4', TypeError, /includes credentials/],
  ])(
    'raw refuses a per-call baseUrl with %s before sending',
    async (_form, baseUrl, errorClass, message) => {
      const { fetch, recorded } = recordingFetch(() => json(200, many([])));
      const raw = createRawClient(testOptions({ fetch }));
      const error = await failure(() =>
        raw.GET('/accounts/{account_id}/realtime/kit/{app_id}/webhooks', {
          baseUrl,
          params: { path: { account_id: ACCOUNT_ID, app_id: APP_ID } },
        }),
      );
      expect(error).toBeInstanceOf(errorClass);
      expect((error as Error).message).toMatch(message);
      expect(recorded.requests).toHaveLength(0);
    },
  );
});

describe('id forms: checked before anything is sent', () => {
  const rows: [string, unknown, RegExp][] = [
    ['undefined', undefined, /webhookId must be a string, not undefined/],
    ['null', null, /webhookId must be a string, not null/],
    ['a number', 42, /webhookId must be a string, not a number/],
    ['an object', { id: ID }, /webhookId must be a string, not an object/],
    ['empty', '', /webhookId must not be empty/],
    ['..', '..', /webhookId must not be empty, "\." or "\.\."/],
    [
      'a lone surrogate',
      `${ID.slice(0, -1)}\ud800`,
      /webhookId must not contain .*lone surrogates/,
    ],
    ['a trailing space', `${ID} `, /webhookId must not contain whitespace/],
    ['a newline', `${ID}\n`, /webhookId must not contain whitespace/],
    ['a path', `../${ID}`, /webhookId must be a UUID such as/],
    ['the spec placeholder', '{webhook_id}', /webhookId must be a UUID such as/],
  ];

  it.each(rows)('a webhook id that is %s', async (_form, id, message) => {
    for (const method of ['get', 'delete', 'update', 'replace'] as const) {
      const { fetch, recorded } = recordingFetch(() => json(200, one()));
      const error = await failure(
        () => loose(testClient({ fetch }))[method]?.(id, valid) as Promise<unknown>,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
      expect(recorded.requests).toHaveLength(0);
    }
  });

  it.each([
    ['a lone surrogate', '\udc00abc', /accountId must not contain/],
    ['a tab', 'acc\tid', /accountId must not contain whitespace/],
    ['a number', 7, /accountId must be a string, not a number/],
  ])('a per-call account id that is %s', async (_form, accountId, message) => {
    const { fetch, recorded } = recordingFetch(() => json(200, many([])));
    const error = await failure(() =>
      testClient({ fetch }).webhooks.list({ accountId: accountId as string }),
    );
    expect((error as Error).message).toMatch(message);
    expect(recorded.requests).toHaveLength(0);
  });
});

describe('option forms: checked for type before anything is sent', () => {
  const perCall: [string, unknown, RegExp][] = [
    ['timeoutMs as a string', { timeoutMs: '5000' }, /timeoutMs must be a positive number/],
    ['maxRetries as a fraction', { maxRetries: 1.5 }, /maxRetries must be a whole number/],
    [
      'signal that is not an AbortSignal',
      { signal: { aborted: false } },
      /signal must be an AbortSignal/,
    ],
    ['options as a string', 'fast', /options must be an object, not a string/],
    [
      'pruneDuplicates as a string',
      { pruneDuplicates: 'false' },
      /pruneDuplicates must be true or false/,
    ],
  ];
  it.each(perCall)('%s', async (_what, options, message) => {
    const { fetch, recorded } = recordingFetch(() => json(200, many([])));
    const error = await failure(
      () => loose(testClient({ fetch })).ensure?.(valid, options) as Promise<unknown>,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
    expect(recorded.requests).toHaveLength(0);
  });

  const construction: [string, object, RegExp][] = [
    [
      'backoff with a negative wait',
      { backoff: { initialMs: -1 } },
      /backoff\.initialMs must be a number/,
    ],
    ['backoff as a number', { backoff: 5 }, /backoff must be an object/],
    ['fetch that is not a function', { fetch: 'fetch' }, /fetch must be a function/],
    [
      'maxResponseBytes of 0',
      { maxResponseBytes: 0 },
      /maxResponseBytes must be a whole number of bytes/,
    ],
    ['accountId as an array', { accountId: ['a'] }, /accountId must be a string, not an array/],
  ];
  it.each(construction)('%s', (_what, options, message) => {
    expect(() => testClient(options as never)).toThrow(message);
  });
});

describe('body forms: what is validated is what is sent', () => {
  it('a body whose fields are inherited is refused (JSON.stringify would drop them)', async () => {
    const { fetch, recorded } = recordingFetch(() => json(201, one()));
    const error = await failure(() => testClient({ fetch }).webhooks.create(Object.create(valid)));
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([
      'body.events',
      'body.name',
      'body.url',
    ]);
    expect(recorded.requests).toHaveLength(0);
  });

  it('a body whose toJSON returns something invalid is refused', async () => {
    const { fetch, recorded } = recordingFetch(() => json(201, one()));
    const sneaky = { ...valid, toJSON: () => ({ ...valid, url: 'not a url' }) };
    const error = await failure(() => testClient({ fetch }).webhooks.create(sneaky));
    expect(error).toBeInstanceOf(ValidationError);
    expect(recorded.requests).toHaveLength(0);
  });

  it('a body whose toJSON returns something valid sends exactly that', async () => {
    const { fetch, recorded } = recordingFetch(() => json(201, one()));
    const other = { name: 'other', url: 'https://b.example/y', events: ['meeting.started'] };
    await testClient({ fetch }).webhooks.create({ ...valid, toJSON: () => other } as never);
    expect(JSON.parse(recorded.bodies[0] ?? '')).toEqual(other);
  });

  it('a getter is read once: the url checked is the url sent', async () => {
    const { fetch, recorded } = recordingFetch(() => json(201, one()));
    let reads = 0;
    const body = {
      name: 'n',
      events: ['meeting.ended'],
      get url() {
        reads += 1;
        return reads === 1 ? 'https://a.example/x' : 'http://evil.example/';
      },
    };
    await testClient({ fetch }).webhooks.create(body as never);
    expect(reads).toBe(1);
    expect(JSON.parse(recorded.bodies[0] ?? '').url).toBe('https://a.example/x');
  });

  it.each([
    ['a BigInt', { ...valid, enabled: 1n }, /body cannot be sent as JSON/],
    [
      'a cycle',
      (() => {
        const b: Record<string, unknown> = { ...valid };
        b.self = b;
        return b;
      })(),
      /body cannot be sent as JSON/,
    ],
    ['a function', () => valid, /body must be an object \(got a function\)/],
  ])('a body with %s is refused', async (_what, body, message) => {
    const { fetch, recorded } = recordingFetch(() => json(201, one()));
    const error = await failure(() => testClient({ fetch }).webhooks.create(body as never));
    expect((error as Error).message).toMatch(message);
    expect(recorded.requests).toHaveLength(0);
  });
});

describe('errors raised before a request leaves are not sent and not retried', () => {
  it('a port fetch refuses (6000) is RequestNotSentError, tried once, and create does not list', async () => {
    let calls = 0;
    const counting = (request: Request) => {
      calls += 1;
      return globalThis.fetch(request);
    };
    const rtk = testClient({ baseUrl: 'http://127.0.0.1:6000', fetch: counting, maxRetries: 3 });
    for (const call of [() => rtk.webhooks.list(), () => rtk.webhooks.create(valid)]) {
      calls = 0;
      const error = await failure(call);
      expect(error).toBeInstanceOf(RequestNotSentError);
      expect(error).toMatchObject({ sent: false, outcomeUnknown: false });
      expect(calls).toBe(1);
    }
  });
});

describe('response sizes and types', () => {
  /** A body of `total` bytes streamed in 64 KiB chunks; `pulled()` says how much was produced. */
  function streamed(total: number) {
    let produced = 0;
    const chunk = new Uint8Array(64 * 1024).fill(32);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (produced >= total) return controller.close();
        produced += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    return { body, pulled: () => produced };
  }

  it.each([
    ['a 2xx', 200],
    ['an error status', 500],
  ])(
    '%s of 17 MiB without content-length stops at the 16 MiB default cap',
    async (_what, status) => {
      const stream = streamed(17 * 1024 * 1024);
      const error = await failure(() =>
        testClient({
          fetch: async () =>
            new Response(stream.body, { status, headers: { 'content-type': 'application/json' } }),
        }).webhooks.list({ maxRetries: 2 }),
      );
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect(error).toMatchObject({ status, limitBytes: DEFAULT_MAX_RESPONSE_BYTES });
      expect((error as Error).message).toMatch(/larger than maxResponseBytes \(16777216 bytes\)/);
      expect(stream.pulled()).toBeLessThan(DEFAULT_MAX_RESPONSE_BYTES + 256 * 1024);
    },
  );

  it('a declared content-length over the cap fails before reading a byte', async () => {
    const stream = streamed(1024 * 1024);
    const error = await failure(() =>
      testClient({
        maxResponseBytes: 1000,
        fetch: async () =>
          new Response(stream.body, {
            status: 200,
            headers: { 'content-length': String(2 ** 40) },
          }),
      }).webhooks.list(),
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(stream.pulled()).toBeLessThanOrEqual(64 * 1024);
  });

  it.each([
    [999, 'passes'],
    [1001, 'fails'],
  ])('with maxResponseBytes 1000, a %i-byte answer %s', async (size, outcome) => {
    const body = JSON.stringify(many([])).padEnd(size, ' ');
    const call = testClient({
      maxResponseBytes: 1000,
      fetch: async () => json(200, JSON.parse(body)),
    }).webhooks.list();
    const padded = testClient({
      maxResponseBytes: 1000,
      fetch: async () => new Response(body, { headers: { 'content-type': 'application/json' } }),
    }).webhooks.list();
    await call;
    if (outcome === 'passes') await expect(padded).resolves.toEqual([]);
    else await expect(padded).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('a real server streaming without end is cut off and the connection closed', async () => {
    let written = 0;
    let closed = false;
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 32);
      const pump = () => {
        while (!closed && written < 2 ** 31) {
          written += chunk.length;
          if (!response.write(chunk)) return response.once('drain', pump);
        }
      };
      response.on('close', () => {
        closed = true;
      });
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const error = await failure(() =>
        testClient({ baseUrl, maxResponseBytes: 1024 * 1024 }).webhooks.list(),
      );
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      await expect.poll(() => closed).toBe(true);
      expect(written).toBeLessThan(64 * 1024 * 1024);
    } finally {
      server.close();
    }
  });

  it('a gzip bomb (small declared length, huge decoded body) is cut off at the cap', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 32));
    const server = createServer((_request, response) => {
      response
        .writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': String(bomb.length),
        })
        .end(bomb);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const error = await failure(() =>
        testClient({ baseUrl, maxResponseBytes: 1024 * 1024 }).webhooks.list(),
      );
      expect(error).toBeInstanceOf(ResponseTooLargeError);
    } finally {
      server.close();
    }
  });

  it.each([
    ['text/html holding JSON', 'text/html', JSON.stringify(many([])), UnexpectedResponseError],
    ['text/plain', 'text/plain', 'ok', UnexpectedResponseError],
    ['application/json that is not JSON', 'application/json', '<html>', UnexpectedResponseError],
    ['application/problem+json', 'application/problem+json', JSON.stringify(many([])), null],
    [
      'application/json; charset=utf-8',
      'application/json; charset=utf-8',
      JSON.stringify(many([])),
      null,
    ],
  ])('a 2xx of %s', async (_what, type, text, errorClass) => {
    const call = testClient({
      fetch: async () => new Response(text, { status: 200, headers: { 'content-type': type } }),
    }).webhooks.list();
    if (errorClass === null) await expect(call).resolves.toEqual([]);
    else {
      const error = await failure(() => call);
      expect(error).toBeInstanceOf(errorClass);
      expect((error as Error).message).toContain(`expected a JSON body (it was ${type})`);
    }
  });
});

describe('Retry-After', () => {
  const error = (status: number, headers: Record<string, string>) => {
    const errors = {
      429: RateLimitError,
      503: InternalServerError,
      502: InternalServerError,
    } as const;
    const Class = errors[status as 429 | 503 | 502];
    const retryAfterMs = headers['retry-after'] ? Number(headers['retry-after']) * 1000 : undefined;
    return new Class(status, undefined, new Headers(headers), { retryAfterMs });
  };

  it.each([
    [429, { 'retry-after': '3' }, 3_000],
    [503, { 'retry-after': '3' }, 3_000],
    [503, { 'retry-after': '61' }, undefined],
  ])('a %i with %o waits %s ms', (status, headers, wait) => {
    expect(retryDelayMs(0, error(status, headers), { initialMs: 1 })).toBe(wait);
  });

  it('a 503 with retry-after is retried after the asked wait, not the backoff', async () => {
    const { fetch, recorded } = recordingFetch(() =>
      recorded.requests.length === 1
        ? json(503, { message: 'busy' }, { 'retry-after-ms': '250' })
        : json(200, many([])),
    );
    vi.useFakeTimers();
    try {
      const listed = testClient({ fetch, backoff: { initialMs: 1, maxMs: 1 } }).webhooks.list();
      await vi.advanceTimersByTimeAsync(249);
      expect(recorded.requests).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await listed;
      expect(recorded.requests).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('error names survive minification', () => {
  it.each(
    Object.entries(publicApi).filter(
      ([name, value]) => typeof value === 'function' && /Error$/.test(name),
    ),
  )('%s spells out its own name', (name, Class) => {
    const prototype = (Class as { prototype: Error }).prototype;
    expect(Object.getOwnPropertyDescriptor(prototype, 'name')?.get?.call({})).toBe(name);
  });
});
