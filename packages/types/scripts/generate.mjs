// `pnpm generate` in this package: openapi-typescript's types of the spec (`--check` verifies
// the committed file instead; `--spec <path>` generates from another file).
import { runGenerators } from '@realtimekit-webhooks/codegen/run-generators';

runGenerators([new URL('generate-types.mjs', import.meta.url)]);
