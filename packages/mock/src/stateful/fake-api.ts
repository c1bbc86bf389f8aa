// A stateful fake of the RealtimeKit webhooks API on node:http, with per-request fault injection,
// the signing-key endpoint, and a control API (`/__mock/...`) for tests in other processes.
// Its answers follow the spec: startMockServer runs it behind Prism's validating proxy.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  isLoopbackHost,
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookEvent,
  type WebhookRequest,
} from '@realtimekit-webhooks/types';
import { type DeliverOptions, DeliveryInputError, deliver } from '../deliveries.js';
import type { TestSigner } from '../signer.js';
import {
  createEmitter,
  DEFAULT_RETRY,
  type EmitOptions,
  type Emitter,
  inScope,
  type RetryPolicy,
} from './emitter.js';
import { FaultQueue, faultProblem, type MockFault } from './fault-queue.js';
import type { Fault, FaultPlan, RequestInfo } from './faults.js';
import { failureStatus, readCappedBody, refusal } from './request-guard.js';
import { type Scope, type ScopeFilter, WebhookStore } from './store.js';

/** One request the fake received, and what it did with it. */
export interface LoggedRequest extends RequestInfo {
  fault: Fault['kind'] | undefined;
  status: number | undefined;
}

/** A running fake. */
export interface FakeApi {
  /** Base URL to pass to `createRealtimeKitClient({ baseUrl })`. */
  readonly baseUrl: string;
  /** The webhooks it holds, each in the account and app it was created in. */
  readonly store: WebhookStore;
  /** RealtimeKit's sending side (with a signer): `emit` and the attempts it made. */
  readonly emitter: Emitter | undefined;
  /** Every request so far. */
  readonly requests: LoggedRequest[];
  /** Replaces the fault plan (undefined: no faults). */
  setFaults(plan: FaultPlan | undefined): void;
  /** Faults queued through the control API (applied by the mock's front door, not here). */
  readonly faults: FaultQueue;
  /** Stops the server and drops every open connection. */
  stop(): Promise<void>;
}

type Answer = { status: number; body: unknown };

const ROUTE = /^\/accounts\/([^/]+)\/realtime\/kit\/([^/]+)\/webhooks(?:\/([^/]+))?\/?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BODY_FIELDS = new Set(['name', 'url', 'events', 'enabled']);

const rtkError = (status: number, message: string): Answer => ({
  status,
  body: { success: false, error: { code: status, message } },
});

/** Why `body` is not a valid request body, or undefined. `partial` for PATCH. */
function bodyProblem(body: unknown, partial: boolean): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'body must be an object';
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields))
    if (!BODY_FIELDS.has(key)) return `"${key}" is not allowed`;
  for (const key of ['name', 'url', 'events']) {
    if (!partial && fields[key] === undefined) return `"${key}" is required`;
  }
  if (fields.name !== undefined && typeof fields.name !== 'string')
    return '"name" must be a string';
  if (fields.url !== undefined && (typeof fields.url !== 'string' || !URL.canParse(fields.url))) {
    return '"url" must be a valid uri';
  }
  const events = fields.events;
  const known = new Set<unknown>(WEBHOOK_EVENTS);
  if (events !== undefined && (!Array.isArray(events) || !events.every((e) => known.has(e)))) {
    return '"events" must be an array of event names';
  }
  if (fields.enabled !== undefined && typeof fields.enabled !== 'boolean')
    return '"enabled" must be a boolean';
  return undefined;
}

function act(
  store: WebhookStore,
  scope: Scope,
  method: string,
  id: string | undefined,
  body: unknown,
): Answer {
  const ok = (data: unknown, status = 200): Answer => ({ status, body: { data, success: true } });
  if (id === undefined) {
    if (method === 'GET') return ok(store.list(scope));
    if (method !== 'POST') return rtkError(405, 'Method not allowed');
    const problem = bodyProblem(body, false);
    return problem
      ? rtkError(400, `BAD_REQUEST: ${problem}`)
      : ok(store.create(body as WebhookRequest, scope), 201);
  }
  if (id === 'all' && method === 'GET') return ok([...WEBHOOK_EVENTS]);
  if (!UUID.test(id)) return rtkError(400, 'BAD_REQUEST: "webhook_id" must be a valid GUID');
  if (method === 'PUT' || method === 'PATCH') {
    const problem = bodyProblem(body, method === 'PATCH');
    if (problem) return rtkError(400, `BAD_REQUEST: ${problem}`);
  }
  let found: Webhook | undefined;
  if (method === 'GET') found = store.get(id, scope);
  else if (method === 'DELETE') found = store.delete(id, scope);
  else if (method === 'PUT' || method === 'PATCH') {
    found = store.update(id, body as Partial<WebhookRequest>, method === 'PUT', scope);
  } else return rtkError(405, 'Method not allowed');
  return found ? ok(found) : rtkError(404, 'Webhook not found');
}

function send(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** The body a gateway might send in place of the result. */
function failureBody(status: number): [string, Record<string, string>] {
  if (status === 502)
    return [
      '<html><head><title>502 Bad Gateway</title></head></html>',
      { 'content-type': 'text/html' },
    ];
  if (status === 503) return ['', {}];
  return [JSON.stringify(rtkError(status, 'Internal Server Error').body), {}];
}

/** Options of `startFakeApi`. */
export interface FakeApiOptions {
  port?: number | undefined;
  faults?: FaultPlan | undefined;
  /** The only token accepted; others get the API's 401. Default: any bearer token. */
  token?: string | undefined;
  /** Signs deliveries and provides the key served at `/.well-known/webhooks.json`. */
  signer?: TestSigner | undefined;
  /** How `emit` retries a delivery answered 5xx or not at all. Default: 4 attempts from 100 ms. */
  retry?: Partial<RetryPolicy> | undefined;
  /**
   * Hosts besides loopback that the control API's `deliver` and `emit` may send to. Default: none,
   * so whoever reaches the control API cannot make the mock post anywhere else.
   */
  allowHosts?: readonly string[] | undefined;
}

/** Whether the control API may send a delivery to `url`: loopback, or a host in `allowHosts`. */
function deliveryTargetAllowed(url: string, allowHosts: readonly string[]): boolean {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return true; // not a URL: deliver refuses it itself, naming it
  }
  return isLoopbackHost(hostname) || allowHosts.includes(hostname);
}

/** What Cloudflare's API gateway answers a throttled request with (the v4 error envelope). */
export const RATE_LIMITED_BODY = {
  success: false,
  errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }],
  messages: [],
  result: null,
};

const KEY_PATH = '/.well-known/webhooks.json';
const CONTROL = '/__mock/';

/** The scope a control call names (`accountId`, `appId`: either, both or neither). */
function scopeFilter(values: Record<string, unknown> | undefined): ScopeFilter {
  const filter: ScopeFilter = {};
  for (const key of ['accountId', 'appId'] as const) {
    const value = values?.[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '')
      throw new Error(`${key} must be a non-empty string`);
    filter[key] = value;
  }
  return filter;
}

/** Answers the control API: state and faults for tests that run in another process. */
async function control(
  path: string,
  method: string,
  text: string,
  query: URLSearchParams,
  fake: {
    store: WebhookStore;
    faults: FaultQueue;
    signer: TestSigner | undefined;
    emitter: Emitter | undefined;
    mayDeliverTo: (url: string) => boolean;
  },
): Promise<Answer> {
  const body = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
  const queried = scopeFilter(Object.fromEntries(query));
  if (path === 'reset' && method === 'POST') {
    const scope = scopeFilter(body);
    const whole = scope.accountId === undefined && scope.appId === undefined;
    for (const webhook of fake.store.list()) {
      if (inScope(fake.store.scopeOf(webhook.id), scope)) fake.store.delete(webhook.id);
    }
    fake.emitter?.forget(scope);
    // Faults are not scoped: they belong to the next requests, whoever sends them.
    if (whole) fake.faults.clear();
    return { status: 200, body: { ok: true } };
  }
  if (path === 'webhooks' && method === 'GET') {
    return {
      status: 200,
      body: fake.store.list().filter((w) => inScope(fake.store.scopeOf(w.id), queried)),
    };
  }
  if (path === 'faults' && method === 'POST') {
    const problem = faultProblem(body);
    if (problem) return { status: 400, body: { error: problem } };
    fake.faults.push(body as unknown as MockFault);
    return { status: 200, body: { queued: fake.faults.size } };
  }
  if (path === 'faults' && method === 'DELETE') {
    fake.faults.clear();
    return { status: 200, body: { queued: 0 } };
  }
  if ((path === 'deliver' || path === 'emit') && method === 'POST') {
    if (!fake.signer || !fake.emitter)
      return { status: 400, body: { error: 'this fake has no signer' } };
    const { event, ...options } = body as unknown as { event: WebhookEvent } & DeliverOptions &
      EmitOptions;
    try {
      if (path === 'emit') {
        return {
          status: 200,
          body: await fake.emitter.emit(event, { ...options, ...scopeFilter(options) }),
        };
      }
      if (!fake.mayDeliverTo(String(options.to))) {
        throw new DeliveryInputError(
          `"to" must be a loopback URL (127.0.0.1, localhost, [::1]) unless startMockServer({ allowHosts }) names its host: ${String(options.to)}`,
        );
      }
      return { status: 200, body: await deliver(fake.signer, event, options) };
    } catch (error) {
      const status = error instanceof DeliveryInputError || error instanceof RangeError ? 400 : 502;
      return { status, body: { error: (error as Error).message } };
    }
  }
  if (path === 'deliveries' && method === 'GET') {
    return { status: 200, body: fake.emitter?.deliveries(queried) ?? [] };
  }
  return { status: 404, body: { error: `no control route ${method} ${CONTROL}${path}` } };
}

/** Starts the fake on loopback (a free port unless `port` is given). */
export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const store = new WebhookStore();
  const allowHosts = options.allowHosts ?? [];
  const mayDeliverTo = (url: string) => deliveryTargetAllowed(url, allowHosts);
  const emitter =
    options.signer &&
    createEmitter(store, options.signer, { ...DEFAULT_RETRY, ...options.retry }, mayDeliverTo);
  const requests: LoggedRequest[] = [];
  const faults = new FaultQueue();
  let plan = options.faults;

  const server = createServer((request, response) => {
    // Nothing a client sends or aborts may end the process: every failure ends this request only.
    serve(request, response).catch((error: unknown) => {
      if (response.headersSent || request.socket.destroyed) return void request.socket.destroy();
      const status = failureStatus(error);
      send(response, status, JSON.stringify({ error: (error as Error).message }));
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refused = refusal(request);
    if (refused) return send(response, refused.status, JSON.stringify({ error: refused.message }));
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    if (url.pathname.startsWith(CONTROL)) {
      const method = request.method ?? 'GET';
      // A JSON body: a web page cannot send one across origins without asking first.
      if (
        method === 'POST' &&
        !/^application\/json\b/i.test(request.headers['content-type'] ?? '')
      ) {
        return send(
          response,
          415,
          JSON.stringify({ error: 'control calls send application/json' }),
        );
      }
      const text = (await readCappedBody(request)).toString('utf8');
      let answer: Answer;
      try {
        answer = await control(url.pathname.slice(CONTROL.length), method, text, url.searchParams, {
          store,
          faults,
          signer: options.signer,
          emitter,
          mayDeliverTo,
        });
      } catch (error) {
        answer = { status: 400, body: { error: (error as Error).message } };
      }
      return send(response, answer.status, JSON.stringify(answer.body));
    }
    const info: RequestInfo = {
      method: request.method ?? 'GET',
      path: url.pathname,
      index: requests.length,
    };
    const fault = plan?.(info);
    const logged: LoggedRequest = { ...info, fault: fault?.kind, status: undefined };
    requests.push(logged);
    const text = (await readCappedBody(request)).toString('utf8');

    if (fault?.kind === 'drop-before') return void request.socket.destroy();
    if (fault?.kind === 'status-before') {
      logged.status = fault.status;
      const [failure, headers] = failureBody(fault.status);
      return send(response, fault.status, failure, headers);
    }
    if (fault?.kind === 'delay-before') {
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      if (request.socket.destroyed) return;
    }
    if (fault?.kind === 'rate-limit') {
      logged.status = 429;
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = fault.retryAfterMs;
      return send(response, 429, JSON.stringify(RATE_LIMITED_BODY), headers);
    }

    let answer: Answer;
    const route = ROUTE.exec(url.pathname);
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const authorized =
      bearer !== undefined && (options.token === undefined || bearer === options.token);
    if (url.pathname === KEY_PATH && info.method === 'GET' && options.signer) {
      answer = {
        status: 200,
        body: { success: true, data: { publicKey: options.signer.publicKey }, message: '' },
      };
    } else if (!route) answer = rtkError(404, 'Not found');
    else if (!authorized) answer = { status: 401, body: { message: 'Unauthorized' } };
    else {
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
        const scope = {
          accountId: decodeURIComponent(route[1] ?? ''),
          appId: decodeURIComponent(route[2] ?? ''),
        };
        answer = act(
          store,
          scope,
          info.method,
          route[3] === undefined ? undefined : decodeURIComponent(route[3]),
          body,
        );
      } catch {
        answer = rtkError(400, 'BAD_REQUEST: body is not JSON');
      }
    }
    const payload = JSON.stringify(answer.body);

    if (fault?.kind === 'drop-after') return void request.socket.destroy();
    if (fault?.kind === 'status-after') {
      logged.status = fault.status;
      const [failure, headers] = failureBody(fault.status);
      return send(response, fault.status, failure, headers);
    }
    if (fault?.kind === 'truncate-after') {
      logged.status = answer.status;
      response.writeHead(answer.status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
      });
      response.write(payload.slice(0, Math.floor(payload.length / 2)));
      setTimeout(() => request.socket.destroy(), 5);
      return;
    }
    if (fault?.kind === 'delay-after')
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (request.socket.destroyed) return;
    logged.status = answer.status;
    send(response, answer.status, payload);
  }

  server.listen(options.port ?? 0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    store,
    emitter,
    requests,
    setFaults(next) {
      plan = next;
    },
    faults,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
