// The fetch every request goes through, the typed `raw` client's included: it refuses URLs that
// break the base-URL rule, never follows a redirect (a followed redirect re-sends the request,
// perhaps over plain HTTP or after the API already acted), and stops reading an answer at the
// size cap instead of buffering whatever a server sends.
import { type FetchLike, httpsOrLoopbackProblem } from '@realtimekit-webhooks/types';
import { ResponseTooLargeError, ValidationError } from './errors.js';

export type { FetchLike };

/** Default cap on the bytes read from one response. The API's largest answers are a few kB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * The response with its body read to the end, at most `maxBytes` of it: reading stops (and the
 * rest is never downloaded) as soon as the cap is crossed. Reading here rather than through a
 * stream wrapper costs a fraction as much, and the API's answers are small JSON documents.
 */
async function readCapped(response: Response, maxBytes: number): Promise<Response> {
  if (response.body === null || response.type === 'opaqueredirect') return response;
  const declared = response.headers.get('content-length');
  if (Number(declared) > maxBytes) {
    await response.body.cancel().catch(() => {});
    throw new ResponseTooLargeError(response.status, maxBytes);
  }
  // An unencoded body cannot outgrow its declared length (HTTP framing ends it there), so it is
  // left to be read as usual. An encoded one can (a gzip bomb declares its compressed size).
  if (declared !== null && declared.trim() !== '' && !response.headers.has('content-encoding')) {
    return response;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new ResponseTooLargeError(response.status, maxBytes);
    }
    chunks.push(read.value);
  }
  let bytes = chunks[0] ?? new Uint8Array(0);
  if (chunks.length > 1) {
    bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
  }
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** `fetch` (default: the global one) wrapped with the URL rule, no redirects and the size cap. */
export function guardedFetch(fetch: FetchLike | undefined, maxResponseBytes: number): FetchLike {
  return async (request) => {
    const problem = httpsOrLoopbackProblem(new URL(request.url));
    if (problem) {
      throw new ValidationError(
        [{ path: 'baseUrl', message: problem }],
        'Refused to send the request',
      );
    }
    const send = fetch ?? globalThis.fetch;
    // openapi-fetch already builds requests with redirect 'manual' (set on the client); a per-call
    // override through `raw` is put back. Copying every request would cost more than the call.
    const response = await send(
      request.redirect === 'manual' ? request : new Request(request, { redirect: 'manual' }),
    );
    return readCapped(response, maxResponseBytes);
  };
}
