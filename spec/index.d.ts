/** The spec's file URL. */
export declare const specUrl: URL;
/** The spec's absolute path. */
export declare const specPath: string;
/** Cloudflare's published description of this API, vendored (see upstream/). */
export declare const upstreamFragmentPath: string;
/** The reviewed list of differences between the spec and Cloudflare's description, with reasons. */
export declare const intendedDifferencesPath: string;
