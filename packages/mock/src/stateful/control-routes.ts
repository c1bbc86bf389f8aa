// The control API (`/__mock/<route>`): state and faults for tests that run in another process. A
// table of routes, each a method and a name, so what the control API offers reads in one place.
import {
  type DeliverOptions,
  DeliveryInputError,
  deliver,
  type TestSigner,
} from '@realtimekit-webhooks/receiver/testing';
import type { WebhookEvent } from '@realtimekit-webhooks/types';
import type { EmitOptions, Emitter } from './emitter.js';
import type { FaultQueue } from './fault-queue.js';
import { faultProblem, type MockFault } from './faults.js';
import type { ScopeFilter, WebhookStore } from './store.js';

/** An answer of the control API: a status and a JSON body. */
export interface ControlAnswer {
  status: number;
  body: unknown;
}

/** What the routes act on: the fake's state, its faults and its sending side. */
export interface ControlTarget {
  readonly store: WebhookStore;
  readonly faults: FaultQueue;
  readonly signer: TestSigner | undefined;
  readonly emitter: Emitter | undefined;
  readonly mayDeliverTo: (url: string) => boolean;
}

/** One control call: its JSON body (if any) and the scope its query names. */
interface ControlCall {
  readonly body: Record<string, unknown> | undefined;
  readonly queried: ScopeFilter;
  readonly fake: ControlTarget;
}

/** The scope a control call names (`accountId`, `appId`: either, both or neither). */
function scopeFilter(values: { accountId?: unknown; appId?: unknown } | undefined): ScopeFilter {
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

const ok = (body: unknown): ControlAnswer => ({ status: 200, body });

/** Sends what `deliver` or `emit` asks for; the input's mistakes are 400, a send that failed 502. */
async function sending(
  { body, fake }: ControlCall,
  send: (
    signer: TestSigner,
    emitter: Emitter,
    event: WebhookEvent,
    options: DeliverOptions<WebhookEvent> & EmitOptions,
  ) => Promise<unknown>,
): Promise<ControlAnswer> {
  if (!fake.signer || !fake.emitter)
    return { status: 400, body: { error: 'this fake has no signer' } };
  const { event, ...options } = body as unknown as {
    event: WebhookEvent;
  } & DeliverOptions<WebhookEvent> &
    EmitOptions;
  try {
    return ok(await send(fake.signer, fake.emitter, event, options));
  } catch (error) {
    const status = error instanceof DeliveryInputError || error instanceof RangeError ? 400 : 502;
    return { status, body: { error: (error as Error).message } };
  }
}

const ROUTES: Record<string, (call: ControlCall) => ControlAnswer | Promise<ControlAnswer>> = {
  'POST reset': ({ body, fake }) => {
    const scope = scopeFilter(body);
    fake.store.clear(scope);
    fake.emitter?.forget(scope);
    // Faults are not scoped: they belong to the next requests, whoever sends them.
    if (scope.accountId === undefined && scope.appId === undefined) fake.faults.clear();
    return ok({ ok: true });
  },
  'GET webhooks': ({ queried, fake }) => ok(fake.store.list(queried)),
  'POST faults': ({ body, fake }) => {
    const problem = faultProblem(body);
    if (problem) return { status: 400, body: { error: problem } };
    fake.faults.push(body as unknown as MockFault);
    return ok({ queued: fake.faults.size });
  },
  'DELETE faults': ({ fake }) => {
    fake.faults.clear();
    return ok({ queued: 0 });
  },
  'POST emit': (call) =>
    sending(call, (_signer, emitter, event, options) =>
      emitter.emit(event, { ...options, ...scopeFilter(options) }),
    ),
  'POST deliver': (call) =>
    sending(call, (signer, _emitter, event, options) => {
      if (!call.fake.mayDeliverTo(String(options.to))) {
        throw new DeliveryInputError(
          `"to" must be a loopback URL (127.0.0.1, localhost, [::1]) unless startMockServer({ allowHosts }) names its host: ${String(options.to)}`,
        );
      }
      return deliver(signer, event, options);
    }),
  'GET deliveries': ({ queried, fake }) => ok(fake.emitter?.deliveries(queried) ?? []),
};

/** Answers `method` on control route `route` (the path after `/__mock/`). */
export function control(
  route: string,
  method: string,
  text: string,
  query: URLSearchParams,
  fake: ControlTarget,
): ControlAnswer | Promise<ControlAnswer> {
  const handler = Object.hasOwn(ROUTES, `${method} ${route}`)
    ? ROUTES[`${method} ${route}`]
    : undefined;
  if (!handler)
    return { status: 404, body: { error: `no control route ${method} /__mock/${route}` } };
  const body = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
  return handler({ body, queried: scopeFilter(Object.fromEntries(query)), fake });
}
