/**
 * Vitest `globalSetup` that starts Prism serving the spec's examples (no state) instead of the
 * stateful mock: for tests that assert the documented example answers.
 *
 * @packageDocumentation
 */
import type { TestProject } from 'vitest/node';
import { mockSetup } from './vitest.js';

/** Starts the examples mock for the run and provides its URL; returns the teardown that stops it. */
export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return mockSetup({ mode: 'examples' })(project);
}
