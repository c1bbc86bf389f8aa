/**
 * The rules the client, the receiver, the mock and the CLI share: the schema checker and the
 * spec's schemas and examples it checks against, the constants taken from the spec, the
 * HTTPS-or-loopback and redirect rules, the bounded body reader, the URL-secret helpers and the
 * OpenTelemetry reporter. Private: each package that uses it inlines what it uses when it is
 * built (tools/bundle), so none of this is anyone's public surface. A change here is a change of
 * each package that inlines it: its changeset names those packages.
 *
 * @packageDocumentation
 */

export { API_BASE_URL, DELIVERY_HEADERS, WEBHOOK_SIGNING_KEY_URL } from './constants.gen.js';
export { deliveryExamples } from './examples.gen.js';
export { httpsOrLoopbackProblem, isLoopbackHost } from './https-or-loopback.js';
export { bytesCollector, type ReadDeadline, readBoundedStream } from './read-bounded.js';
export { isRedirectStatus } from './redirect-status.js';
export { safely } from './run-hook.js';
export {
  checkSchema,
  type FormatName,
  type Formats,
  type OperationInput,
  type SchemaNode,
} from './schema-check.js';
export * from './schemas.gen.js';
export {
  type MetricSpec,
  type Reporter,
  reporterFor,
  SPAN_KIND,
  SPAN_STATUS_ERROR,
} from './telemetry.js';
export { MAX_TIMER_MS } from './timer-limit.js';
export {
  maskUrlSecret,
  URL_SECRET_PARAM,
  urlSecretProblem,
  withUrlSecret,
} from './url-secret.js';
