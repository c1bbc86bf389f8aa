// `pnpm generate` in this package: the spec's constants, its schemas in the checker's form and its
// delivery examples (`--check` verifies the committed files instead; `--spec <path>` generates
// from another file).
import { runGenerators } from '@realtimekit-webhooks/codegen/run-generators';

runGenerators(
  ['generate-constants.mjs', 'generate-schemas.mjs', 'generate-examples.mjs'].map(
    (name) => new URL(name, import.meta.url),
  ),
);
