// The fetch the typed `raw` client sends through (see raw.ts): the client's own request path
// (request.ts) applies these rules itself. It refuses URLs that break the base-URL rule (a raw
// call may pass its own baseUrl), never follows a redirect, and stops reading an answer at the
// size cap instead of buffering whatever a server sends.

import { httpsOrLoopbackProblem } from '@realtimekit-webhooks/rules';
import type { FetchLike } from '@realtimekit-webhooks/types';
import { ValidationError } from './errors.js';
import { readCappedBytes } from './request.js';

/** `fetch` (default: the global one) wrapped with the URL rule, no redirects and the size cap. */
export function guardedFetch(fetch: FetchLike, maxResponseBytes: number): FetchLike {
  return async (request) => {
    const problem = httpsOrLoopbackProblem(new URL(request.url));
    if (problem) {
      throw new ValidationError(
        [{ path: 'baseUrl', message: problem }],
        'Refused to send the request',
      );
    }
    // The raw client sets redirect 'manual'; a per-call override is put back.
    const response = await fetch(
      request.redirect === 'manual' ? request : new Request(request, { redirect: 'manual' }),
    );
    if (response.body === null) return response;
    const bytes = await readCappedBytes(response, maxResponseBytes);
    return new Response(bytes, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
