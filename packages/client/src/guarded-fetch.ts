// The fetch every request goes through, the typed `raw` client's included: it refuses URLs that
// break the base-URL rule, never follows a redirect (a followed redirect re-sends the request,
// perhaps over plain HTTP or after the API already acted), and stops reading an answer at the
// size cap instead of buffering whatever a server sends.
import { urlProblem } from './base-url.js';
import { ResponseTooLargeError, ValidationError } from './errors.js';

/** A `fetch` the client can be given instead of the global one (tests, proxies, instrumentation). */
export type FetchLike = (input: Request) => Promise<Response>;

/** Default cap on the bytes read from one response. The API's largest answers are a few kB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

function limitBody(response: Response, maxBytes: number): Response {
  if (response.body === null || response.type === 'opaqueredirect') return response;
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    void response.body.cancel().catch(() => {});
    throw new ResponseTooLargeError(response.status, maxBytes);
  }
  let seen = 0;
  const limited = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        // Erroring the stream also cancels the source, so the rest is never downloaded.
        if (seen > maxBytes) controller.error(new ResponseTooLargeError(response.status, maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(limited, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** `fetch` (default: the global one) wrapped with the URL rule, no redirects and the size cap. */
export function guardedFetch(fetch: FetchLike | undefined, maxResponseBytes: number): FetchLike {
  return async (request) => {
    const problem = urlProblem(new URL(request.url));
    if (problem) {
      throw new ValidationError(
        [{ path: 'baseUrl', message: problem }],
        'Refused to send the request',
      );
    }
    const send = fetch ?? globalThis.fetch;
    const response = await send(new Request(request, { redirect: 'manual' }));
    return limitBody(response, maxResponseBytes);
  };
}
