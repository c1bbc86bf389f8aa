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
 * With `TEST_API_BASE_URL` set, no mock is started and tests talk to that server instead (the key
 * and control URLs are then empty). `@realtimekit-webhooks/mock/vitest-examples` starts Prism
 * serving the spec's examples instead.
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

/** Starts the mock in `mode` (unless TEST_API_BASE_URL is set); returns the teardown that stops it. */
export async function setupMock(
  project: TestProject,
  mode: 'stateful' | 'examples',
): Promise<() => Promise<void>> {
  const external = process.env.TEST_API_BASE_URL;
  if (external) {
    project.provide('realtimeKitBaseUrl', external);
    project.provide('realtimeKitKeyUrl', '');
    project.provide('realtimeKitMockControl', '');
    return async () => {};
  }
  if (mode === 'examples') {
    const server = await startMockServer({ mode: 'examples' });
    project.provide('realtimeKitBaseUrl', server.baseUrl);
    project.provide('realtimeKitKeyUrl', '');
    project.provide('realtimeKitMockControl', '');
    return () => server.stop();
  }
  const server = await startMockServer();
  project.provide('realtimeKitBaseUrl', server.baseUrl);
  project.provide('realtimeKitKeyUrl', server.keyUrl);
  project.provide('realtimeKitMockControl', server.controlUrl);
  return () => server.stop();
}

/** The globalSetup entry: the stateful mock. */
export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return setupMock(project, 'stateful');
}
