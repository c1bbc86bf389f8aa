// A stateful fake of the RealtimeKit webhooks API on node:http, with per-request fault injection,
// the signing-key endpoint, and a control API (`/__mock/...`) for tests in other processes.
// Its answers follow the spec: startMockServer runs it behind Prism's validating proxy.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { TestSigner } from '@realtimekit-webhooks/receiver/testing';
import {
  addWebhookInput,
  checkSchema,
  editWebhookInput,
  getWebhookInput,
  isLoopbackHost,
  type OperationInput,
  replaceWebhookInput,
} from '@realtimekit-webhooks/rules';
import {
  type ValidationIssue,
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookRequest,
} from '@realtimekit-webhooks/types';
import { type Answer, answerWithFault, send } from './apply-fault.js';
import { type ControlAnswer, control } from './control-routes.js';
import { createEmitter, DEFAULT_RETRY, type Emitter, type RetryPolicy } from './emitter.js';
import { FaultQueue } from './fault-queue.js';
import type { FaultPlan, MockFault, RequestInfo } from './faults.js';
import { listenOnLoopback } from './loopback-listener.js';
import { failureStatus, readCappedBody, refusal } from './request-guard.js';
import { type Scope, WebhookStore } from './store.js';

/** One request the fake received (what its fault plan saw of it), and what it did with it. */
export type LoggedRequest = Parameters<FaultPlan>[0] & {
  /** The fault injected into it, if any. */
  fault: MockFault['kind'] | undefined;
  /** The status answered (undefined when the fault answered none). */
  status: number | undefined;
};

/** A running fake. */
export interface FakeApi {
  /** Base URL to pass to `createRealtimeKitClient({ baseUrl })`. */
  readonly baseUrl: string;
  /** The webhooks it holds, each in the account and app it was created in. */
  readonly store: WebhookStore;
  /** Every request so far. */
  readonly requests: LoggedRequest[];
  /** Replaces the fault plan (undefined: no faults). */
  setFaults(plan: FaultPlan | undefined): void;
  /** Stops the server and drops every open connection. */
  stop(): Promise<void>;
}

/**
 * The fake as the mock's front door and control API use it: also its sending side and the faults
 * queued through the control API. Not in the `/fake` entry's surface.
 */
export interface WiredFake extends FakeApi {
  /** RealtimeKit's sending side (with a signer): `emit` and the attempts it made. */
  readonly emitter: Emitter | undefined;
  /** Faults queued through the control API (applied by the mock's front door, not here). */
  readonly faults: FaultQueue;
}

/** What the API answers, before it is written: a status and a JSON body. */
type ApiAnswer = { status: number; body: unknown };

/** `body` as the JSON answer with `status`. */
const json = (status: number, body: unknown): Answer => ({
  status,
  headers: { 'content-type': 'application/json' },
  text: JSON.stringify(body),
});

const ROUTE = /^\/accounts\/([^/]+)\/realtime\/kit\/([^/]+)\/webhooks(?:\/([^/]+))?\/?$/;

const rtkError = (status: number, message: string): ApiAnswer => ({
  status,
  body: { success: false, error: { code: status, message } },
});

/**
 * Why the id or the body breaks the spec, in the API's words (`"url" must be ...`), or
 * undefined. The rules are the spec's own, generated into the private rules package: behind
 * Prism nothing invalid arrives, and run alone (fault tests, the CLI's tests) the fake still
 * answers the 400 the API would.
 */
function inputProblem(
  operation: OperationInput,
  id: string | undefined,
  body: unknown,
): string | undefined {
  const issues: ValidationIssue[] = [];
  const idSchema = operation.path.webhook_id;
  if (idSchema) checkSchema(idSchema, id, 'webhook_id', operation.formats, issues);
  if (operation.body) checkSchema(operation.body, body, 'body', operation.formats, issues);
  const [first] = issues;
  if (!first) return undefined;
  const field = first.path.replace(/^body\.?/, '') || 'body';
  return `"${field}" ${first.message}`;
}

function act(
  store: WebhookStore,
  scope: Scope,
  method: string,
  id: string | undefined,
  body: unknown,
): ApiAnswer {
  const ok = (data: unknown, status = 200): ApiAnswer => ({
    status,
    body: { data, success: true },
  });
  if (id === undefined) {
    if (method === 'GET') return ok(store.list(scope));
    if (method !== 'POST') return rtkError(405, 'Method not allowed');
    const problem = inputProblem(addWebhookInput, undefined, body);
    return problem
      ? rtkError(400, `BAD_REQUEST: ${problem}`)
      : ok(store.create(body as WebhookRequest, scope), 201);
  }
  if (id === 'all' && method === 'GET') return ok([...WEBHOOK_EVENTS]);
  const operation =
    method === 'PUT'
      ? replaceWebhookInput
      : method === 'PATCH'
        ? editWebhookInput
        : getWebhookInput;
  const problem = inputProblem(operation, id, body);
  if (problem) return rtkError(400, `BAD_REQUEST: ${problem}`);
  let found: Webhook | undefined;
  if (method === 'GET') found = store.get(id, scope);
  else if (method === 'DELETE') found = store.delete(id, scope);
  else if (method === 'PUT' || method === 'PATCH') {
    found = store.update(id, body as Partial<WebhookRequest>, method === 'PUT', scope);
  } else return rtkError(405, 'Method not allowed');
  return found ? ok(found) : rtkError(404, 'Webhook not found');
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

const KEY_PATH = '/.well-known/webhooks.json';
const CONTROL = '/__mock/';

/** Starts the fake on loopback (a free port unless `port` is given). */
export function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  return startWiredFake(options);
}

/** `startFakeApi`, with what the mock's front door and control API use of it. */
export async function startWiredFake(options: FakeApiOptions): Promise<WiredFake> {
  const store = new WebhookStore();
  const allowHosts = options.allowHosts ?? [];
  const mayDeliverTo = (url: string) => deliveryTargetAllowed(url, allowHosts);
  // Aborted by stop(): held requests and emit's waits between retries end with the fake.
  const closing = new AbortController();
  const emitter =
    options.signer &&
    createEmitter(
      store,
      options.signer,
      { ...DEFAULT_RETRY, ...options.retry },
      mayDeliverTo,
      closing.signal,
    );
  const requests: LoggedRequest[] = [];
  const faults = new FaultQueue();
  let plan = options.faults;

  const server = createServer((request, response) => {
    // Nothing a client sends or aborts may end the process: every failure ends this request only.
    serve(request, response).catch((error: unknown) => {
      if (response.headersSent || request.socket.destroyed) return void request.socket.destroy();
      const status = failureStatus(error);
      send(response, json(status, { error: (error as Error).message }));
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refused = refusal(request);
    if (refused) return send(response, json(refused.status, { error: refused.message }));
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    if (url.pathname.startsWith(CONTROL)) {
      const method = request.method ?? 'GET';
      // A JSON body: a web page cannot send one across origins without asking first.
      if (
        method === 'POST' &&
        !/^application\/json\b/i.test(request.headers['content-type'] ?? '')
      ) {
        return send(response, json(415, { error: 'control calls send application/json' }));
      }
      const text = (await readCappedBody(request)).toString('utf8');
      let answer: ControlAnswer;
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
      return send(response, json(answer.status, answer.body));
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
    logged.status = await answerWithFault(
      fault,
      request,
      response,
      async () => {
        const { status, body } = answerTo(info.method, url.pathname, request, text);
        return json(status, body);
      },
      closing.signal,
    );
  }

  /** What the API answers: the signing key, 401, 404, or what `act` does with the request. */
  function answerTo(method: string, pathname: string, request: IncomingMessage, text: string) {
    const route = ROUTE.exec(pathname);
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const authorized =
      bearer !== undefined && (options.token === undefined || bearer === options.token);
    if (pathname === KEY_PATH && method === 'GET' && options.signer) {
      return {
        status: 200,
        body: { success: true, data: { publicKey: options.signer.publicKey }, message: '' },
      };
    }
    if (!route) return rtkError(404, 'Not found');
    if (!authorized) return { status: 401, body: { message: 'Unauthorized' } };
    let body: unknown;
    let scope: Scope;
    let id: string | undefined;
    try {
      scope = {
        accountId: decodeURIComponent(route[1] ?? ''),
        appId: decodeURIComponent(route[2] ?? ''),
      };
      id = route[3] === undefined ? undefined : decodeURIComponent(route[3]);
    } catch {
      return rtkError(400, 'BAD_REQUEST: the path is not valid percent-encoding');
    }
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      return rtkError(400, 'BAD_REQUEST: body is not JSON');
    }
    return act(store, scope, method, id, body);
  }

  const listening = await listenOnLoopback(server, '127.0.0.1', options.port);
  return {
    baseUrl: listening.baseUrl,
    store,
    emitter,
    requests,
    setFaults(next) {
      plan = next;
    },
    faults,
    stop: () => {
      closing.abort();
      faults.clear();
      return listening.stop();
    },
  };
}
