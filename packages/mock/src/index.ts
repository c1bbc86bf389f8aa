/**
 * The testing kit for services that use the RealtimeKit webhooks API: a stateful mock checked by
 * Prism against the spec, that sends signed deliveries as RealtimeKit does, and Prism itself.
 * Node only (it spawns Prism). The signer and one-off deliveries have one home,
 * `@realtimekit-webhooks/receiver/testing`, which runs anywhere.
 *
 * @packageDocumentation
 */

import { createTestSigner, type TestSigner } from '@realtimekit-webhooks/receiver/testing';
import { connectMock, type MockControl } from './control.js';
import {
  assertLoopback,
  type PrismOptions,
  type PrismServer,
  startExamplesMock,
  startValidatingProxy,
} from './prism.js';
import type { RetryPolicy } from './stateful/emitter.js';
import { startWiredFake } from './stateful/fake-api.js';
import { rememberFake } from './stateful/fake-behind.js';
import { startFrontDoor } from './stateful/front-door.js';

export { connectMock, type MockControl } from './control.js';
export {
  bundledSpecPath,
  type PrismOptions,
  type PrismServer,
  startValidatingProxy,
  type ValidatingProxyOptions,
} from './prism.js';
export type {
  DeliveryAttempt,
  EmitOptions,
  EmitResult,
  RetryPolicy,
} from './stateful/emitter.js';
export type { FaultMatch, MockFault } from './stateful/faults.js';
export type { ScopeFilter } from './stateful/store.js';

/** Options of `startMockServer`. */
export interface MockServerOptions extends Omit<PrismOptions, 'errors'> {
  /**
   * `stateful` (default): an in-memory implementation of the API behind Prism's validating proxy,
   * so state persists between calls and every exchange is checked against the spec.
   * `examples`: Prism alone, answering with the spec's examples (no state).
   */
  mode?: 'stateful' | 'examples' | undefined;
  /** Stateful mode: the only API token accepted (others get the API's 401). Default: any. */
  token?: string | undefined;
  /** Stateful mode: the port of the control URL (`controlUrl`). Default: a free port. */
  controlPort?: number | undefined;
  /**
   * Stateful mode: the port of the Prism process between the door (`port`) and the in-memory
   * API, for suites that must stay in a port range. Default: a free port.
   */
  prismPort?: number | undefined;
  /**
   * Stateful mode: hosts besides loopback that `deliver` and `emit` may send to. Default: none, so
   * whoever reaches the control API cannot make the mock post anywhere else.
   */
  allowHosts?: readonly string[] | undefined;
  /** Examples mode: answer with an error when a request violates the spec. */
  errors?: boolean | undefined;
  /** Stateful mode: how `emit` retries a delivery answered 5xx or not at all. Default: 4 attempts from 100 ms. */
  retry?: Partial<RetryPolicy> | undefined;
}

/** A running mock. */
export interface MockServer extends PrismServer {
  /** `stateful` or `examples`. */
  readonly mode: 'stateful' | 'examples';
}

/** A running stateful mock: the API at `baseUrl`, its signing key at `keyUrl`, and its state. */
export interface StatefulMockServer extends MockServer, MockControl {
  readonly mode: 'stateful';
  /** Where the delivery signing key is served: pass it to `createWebhookReceiver({ keyUrl })`. */
  readonly keyUrl: string;
  /** The signer behind `deliver` (its `publicKey` is what `keyUrl` serves). */
  readonly signer: TestSigner;
}

/**
 * Starts the mock on loopback. By default it is stateful and checked by Prism: a request or a
 * response that breaks the spec is answered with an error instead of passing silently.
 */
export function startMockServer(
  options?: MockServerOptions & { mode?: 'stateful' | undefined },
): Promise<StatefulMockServer>;
/** Starts Prism alone on loopback, answering every operation with the spec's examples (no state). */
export function startMockServer(
  options: MockServerOptions & { mode: 'examples' },
): Promise<MockServer>;
export async function startMockServer(
  options: MockServerOptions = {},
): Promise<MockServer | StatefulMockServer> {
  assertLoopback(options.host ?? '127.0.0.1');
  if (options.mode === 'examples') {
    const prism = await startExamplesMock(options);
    return { ...prism, mode: 'examples' };
  }
  // Three layers, outside in: the front door (queued faults, as a network would fail), Prism's
  // validating proxy (every exchange against the spec), the in-memory implementation.
  const host = options.host ?? '127.0.0.1';
  const signer = await createTestSigner();
  const fake = await startWiredFake({
    token: options.token,
    signer,
    retry: options.retry,
    port: options.controlPort,
    allowHosts: options.allowHosts,
  });
  let prism: PrismServer | undefined;
  try {
    prism = await startValidatingProxy({
      ...options,
      port: options.prismPort,
      upstream: fake.baseUrl,
    });
    const door = await startFrontDoor(prism.baseUrl, fake.baseUrl, fake.faults, host, options.port);
    const control: MockControl = connectMock(fake.baseUrl);
    const validating = prism;
    const server: StatefulMockServer = {
      ...control,
      mode: 'stateful',
      baseUrl: door.baseUrl,
      pid: validating.pid,
      keyUrl: `${door.baseUrl}/.well-known/webhooks.json`,
      signer,
      stop: async () => {
        await door.stop();
        await validating.stop();
        await fake.stop();
      },
    };
    rememberFake(server, fake);
    return server;
  } catch (error) {
    await prism?.stop();
    await fake.stop();
    throw error;
  }
}
