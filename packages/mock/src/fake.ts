/**
 * The mock's in-process fake of the API, without Prism, for fault tests of code that calls the
 * API: `startFakeApi` with a seeded `randomFaults` plan, and the state it keeps (`store`,
 * `requests`) to count what a run left behind. `startMockServer` (the main entry) runs the same
 * fake behind Prism.
 *
 * @packageDocumentation
 */

export {
  type FakeApi,
  type FakeApiOptions,
  type LoggedRequest,
  startFakeApi,
} from './stateful/fake-api.js';
export type { FaultPlan } from './stateful/faults.js';
export {
  faultLabel,
  type RandomFaultOptions,
  RELIABILITY_FAULTS,
  randomFaults,
} from './stateful/random-faults.js';
export type { Scope, WebhookStore } from './stateful/store.js';
