/**
 * The test signer lives with the receiver (`@realtimekit-webhooks/receiver/testing`), where an
 * edge service can use it without Prism; this subpath keeps working for the kit's users.
 *
 * @packageDocumentation
 */
export {
  createTestSigner,
  type DeliveryHeaders,
  type SignOptions,
  type TestSigner,
} from '@realtimekit-webhooks/receiver/testing';
