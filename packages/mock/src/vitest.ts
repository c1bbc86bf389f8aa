/**
 * Vitest `globalSetup` helper: starts the mock once for a test run and hands its URL to the tests.
 *
 *   // vitest.config.ts
 *   test: { globalSetup: ['@realtimekit-webhooks/mock/vitest'] }
 *   // in a test
 *   const baseUrl = inject('realtimeKitBaseUrl');
 *
 * With `TEST_API_BASE_URL` set, no mock is started and tests talk to that server instead.
 */
// Loads the 'vitest' module so the ProvidedContext augmentation below merges with it.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startMockServer } from './index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the API the tests talk to: the mock started for this run, or TEST_API_BASE_URL. */
    realtimeKitBaseUrl: string;
  }
}

/** Starts the mock (unless TEST_API_BASE_URL is set) and returns the teardown that stops it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_API_BASE_URL;
  if (external) {
    project.provide('realtimeKitBaseUrl', external);
    return async () => {};
  }
  const server = await startMockServer();
  project.provide('realtimeKitBaseUrl', server.baseUrl);
  return () => server.stop();
}
