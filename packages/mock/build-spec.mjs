// Part of the build: the spec bundled into dist/ as one file (every $ref resolved) for the Prism the
// mock runs, with Redocly's own notices left out of the build's output.
import { runRedocly } from '@realtimekit-webhooks/codegen/redocly';

runRedocly([
  'bundle',
  'node_modules/@realtimekit-webhooks/spec/realtimekit-webhooks.yaml',
  '--output',
  'dist/realtimekit-webhooks.yaml',
]);
