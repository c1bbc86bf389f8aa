// Where the spec is on disk, for the generators, tests and tools that read it: they import this
// package (a declared workspace dependency) instead of walking up the tree with relative paths.
import { fileURLToPath } from 'node:url';

/** The spec's file URL. */
export const specUrl = new URL('./realtimekit-webhooks.yaml', import.meta.url);

/** The spec's absolute path. */
export const specPath = fileURLToPath(specUrl);
