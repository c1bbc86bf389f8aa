/** A stateful fake of the RealtimeKit webhooks API with fault injection, for reliability tests. */
export { FAULT_KINDS, type Fault, type FaultPlan, type RequestInfo } from './faults.js';
export { type RandomFaultOptions, randomFaults, seededRandom } from './random-faults.js';
export { type FakeApi, type LoggedRequest, startFakeApi } from './server.js';
export { WebhookStore } from './store.js';
