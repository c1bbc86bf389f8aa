// Test deliveries come from the receiver's testing subpath (it runs anywhere, without Prism); the
// kit re-exports them so its users have one import.
export {
  type DeliverOptions,
  DeliveryInputError,
  type DeliveryResult,
  deliver,
  deliveryBody,
  examplePayload,
  type PayloadOverride,
  toWireJson,
} from '@realtimekit-webhooks/receiver/testing';
