/**
 * The testing kit's part that runs anywhere (Node, Workers, Deno, Bun; no Prism): a signer for
 * test deliveries, the spec's example payloads as new events, bodies written as another server
 * would write them, and `deliver` to a URL. `@realtimekit-webhooks/mock` re-exports all of it.
 *
 * @packageDocumentation
 */
export {
  type DeliverOptions,
  type DeliveryBodyOptions,
  type DeliveryResult,
  deliver,
  deliveryBody,
} from './testing/deliver.js';
export { DeliveryInputError, examplePayload, type PayloadOverride } from './testing/payloads.js';
export {
  createTestSigner,
  type DeliveryHeaders,
  type SignOptions,
  type TestSigner,
} from './testing/signer.js';
