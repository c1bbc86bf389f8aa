// Where the spec is on disk, for the generators, tests and tools that read it: they import this
// package (a declared workspace dependency) instead of walking up the tree with relative paths.
import { fileURLToPath } from 'node:url';

/** The spec's file URL. */
export const specUrl = new URL('./realtimekit-webhooks.yaml', import.meta.url);

/** The spec's absolute path. */
export const specPath = fileURLToPath(specUrl);

/** Cloudflare's published description of this API, vendored (see upstream/). */
export const upstreamFragmentPath = fileURLToPath(
  new URL('./upstream/cloudflare.fragment.json', import.meta.url),
);

/** The reviewed list of differences between the spec and Cloudflare's description, with reasons. */
export const intendedDifferencesPath = fileURLToPath(
  new URL('./upstream/intended-differences.yaml', import.meta.url),
);
