/** The spec's file URL. */
export declare const specUrl: URL;
/** The spec's absolute path. */
export declare const specPath: string;
