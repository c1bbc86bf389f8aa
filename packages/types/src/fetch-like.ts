/**
 * The `fetch` the client and the receiver call: given a `Request`, never a URL and options, so a
 * custom fetch (a proxy, a test double) sees the exact method, headers and body that are sent.
 */
export type FetchLike = (input: Request) => Promise<Response>;
