/**
 * Vitest `globalSetup`: starts the stateful mock once for a test run and hands its URLs to the tests.
 *
 *   // vitest.config.ts
 *   test: { globalSetup: ['@realtimekit-webhooks/mock/vitest'] }
 *   // in a test
 *   const baseUrl = inject('realtimeKitBaseUrl');            // the API
 *   const keyUrl = inject('realtimeKitKeyUrl');              // the delivery signing key
 *   const mock = connectMock(inject('realtimeKitMockControl')); // reset, webhooks, faults, deliver
 *
 * Ports are free ones unless chosen: `RTK_MOCK_PORT` (the API), `RTK_MOCK_CONTROL_PORT` and
 * `RTK_MOCK_PRISM_PORT` in the environment, or `mockSetup({ port, controlPort, prismPort })` as
 * the default export of a setup file of your own. With `TEST_API_BASE_URL` set, no mock is
 * started and tests talk to that server instead (the key and control URLs are then empty).
 * `@realtimekit-webhooks/mock/vitest-examples` starts Prism serving the spec's examples instead.
 *
 * @packageDocumentation
 */
// Loads the 'vitest' module so the ProvidedContext augmentation below merges with it.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startMockServer } from './index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the API the tests talk to: the mock started for this run, or TEST_API_BASE_URL. */
    realtimeKitBaseUrl: string;
    /** The stateful mock's signing-key URL, for `createWebhookReceiver({ keyUrl })` ('' otherwise). */
    realtimeKitKeyUrl: string;
    /** The stateful mock's control URL, for `connectMock` ('' otherwise). */
    realtimeKitMockControl: string;
  }
}

/** The ports and token of the mock a test run starts; a port left out is a free one. */
export interface MockSetupOptions {
  /** The API's port (`realtimeKitBaseUrl`); the examples mode's only port. Env: `RTK_MOCK_PORT`. */
  port?: number | undefined;
  /** The control API's own port. Env: `RTK_MOCK_CONTROL_PORT`. */
  controlPort?: number | undefined;
  /** The Prism process's port, behind the API's. Env: `RTK_MOCK_PRISM_PORT`. */
  prismPort?: number | undefined;
  /** The only API token the mock accepts. Default: any. */
  token?: string | undefined;
}

const PORT_VARIABLES = {
  port: 'RTK_MOCK_PORT',
  controlPort: 'RTK_MOCK_CONTROL_PORT',
  prismPort: 'RTK_MOCK_PRISM_PORT',
} as const;

/** The ports the environment chooses; a variable that is not a port is an error naming it. */
function portsFromEnvironment(): MockSetupOptions {
  const ports: MockSetupOptions = {};
  for (const [option, variable] of Object.entries(PORT_VARIABLES)) {
    const text = process.env[variable]?.trim();
    if (!text) continue;
    const port = Number(text);
    if (!(/^\d+$/.test(text) && port > 0 && port < 65_536)) {
      throw new Error(
        `${variable} must be a port number from 1 to 65535, not ${JSON.stringify(text)}: set it to a free port, or unset it for one chosen at start`,
      );
    }
    ports[option as keyof typeof PORT_VARIABLES] = port;
  }
  return ports;
}

/**
 * Starts the mock in `mode` (unless TEST_API_BASE_URL is set) with `options` over the ports the
 * environment names; returns the teardown that stops it.
 */
async function setupMock(
  project: TestProject,
  mode: 'stateful' | 'examples',
  options: MockSetupOptions = {},
): Promise<() => Promise<void>> {
  const external = process.env.TEST_API_BASE_URL;
  if (external) {
    project.provide('realtimeKitBaseUrl', external);
    project.provide('realtimeKitKeyUrl', '');
    project.provide('realtimeKitMockControl', '');
    return async () => {};
  }
  const chosen = { ...portsFromEnvironment(), ...definedOnly(options) };
  if (mode === 'examples') {
    const server = await startMockServer({ mode: 'examples', port: chosen.port });
    project.provide('realtimeKitBaseUrl', server.baseUrl);
    project.provide('realtimeKitKeyUrl', '');
    project.provide('realtimeKitMockControl', '');
    return () => server.stop();
  }
  const server = await startMockServer(chosen);
  project.provide('realtimeKitBaseUrl', server.baseUrl);
  project.provide('realtimeKitKeyUrl', server.keyUrl);
  project.provide('realtimeKitMockControl', server.controlUrl);
  return () => server.stop();
}

/** `options` without its undefined fields, so they do not hide what the environment chose. */
function definedOnly(options: MockSetupOptions): MockSetupOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/**
 * A `globalSetup` with chosen ports, for a setup file of your own:
 *
 *   // test/mock-setup.ts, named in globalSetup
 *   export default mockSetup({ port: 4010, controlPort: 4011, prismPort: 4012 });
 */
export function mockSetup(
  options: MockSetupOptions & { mode?: 'stateful' | 'examples' | undefined } = {},
): (project: TestProject) => Promise<() => Promise<void>> {
  const { mode = 'stateful', ...ports } = options;
  return (project) => setupMock(project, mode, ports);
}

/** The globalSetup entry: the stateful mock, on the ports the environment names (else free). */
export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return setupMock(project, 'stateful');
}
