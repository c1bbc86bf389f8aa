// The one place a fault happens: around the API's work (`act`), before it (the request is lost or
// refused) or after it (the answer is lost, replaced, held or cut). The fake and the front door
// both answer through here, so a fault looks the same whichever door a test uses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockFault } from './faults.js';

/** An answer to send: status, headers and the body text. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** What Cloudflare's API gateway answers a throttled request with (the v4 error envelope). */
export const RATE_LIMITED_BODY = {
  success: false,
  errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }],
  messages: [],
  result: null,
};

const JSON_TYPE = { 'content-type': 'application/json' };

/**
 * What a gateway sends in place of the API's answer: an HTML page for 502, nothing for 503,
 * Cloudflare's throttling envelope for 429, RealtimeKit's error shape otherwise.
 */
export function gatewayAnswer(status: number, headers: Record<string, string> = {}): Answer {
  if (status === 502) {
    return {
      status,
      headers: { 'content-type': 'text/html', ...headers },
      text: '<html><head><title>502 Bad Gateway</title></head></html>',
    };
  }
  if (status === 503) return { status, headers: { ...JSON_TYPE, ...headers }, text: '' };
  const body =
    status === 429
      ? RATE_LIMITED_BODY
      : { success: false, error: { code: status, message: 'Internal Server Error' } };
  return { status, headers: { ...JSON_TYPE, ...headers }, text: JSON.stringify(body) };
}

/** Writes `answer` with its exact length. */
export function send(response: ServerResponse, { status, headers, text }: Answer): void {
  response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
  response.end(text);
}

/**
 * Resolves after `ms`, or at once when `closing` aborts: a queued delay must not keep the process
 * alive after the mock is stopped.
 */
export function sleep(ms: number, closing?: AbortSignal): Promise<void> {
  if (closing?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      closing?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    closing?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Answers `request` with `fault` applied around `act` (the API's work and its answer). Resolves to
 * the status sent, or undefined when no answer was sent (a reset, a client that went away, a door
 * that `closing` says is stopping: a held request is then dropped, not answered late).
 */
export async function answerWithFault(
  fault: MockFault | undefined,
  request: IncomingMessage,
  response: ServerResponse,
  act: () => Promise<Answer>,
  closing?: AbortSignal,
): Promise<number | undefined> {
  const after = fault !== undefined && 'after' in fault && fault.after;
  // Before acting: the API never sees the request.
  if (fault && !after) {
    if (fault.kind === 'reset') return void request.socket.destroy();
    if (fault.kind === 'status') return sent(response, gatewayAnswer(fault.status));
    if (fault.kind === 'rateLimit') {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(fault.retryAfterSeconds);
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
      return sent(response, gatewayAnswer(429, headers));
    }
    if (fault.kind === 'delay') {
      await sleep(fault.ms, closing);
      if (closing?.aborted) return void request.socket.destroy();
      if (request.socket.destroyed) return undefined;
    }
  }
  const answer = await act();
  // After acting: the API did its work; what it answered is lost, replaced, cut or held.
  if (fault?.kind === 'reset') return void request.socket.destroy();
  if (fault?.kind === 'status') return sent(response, gatewayAnswer(fault.status));
  if (fault?.kind === 'truncate') {
    response.writeHead(answer.status, {
      ...answer.headers,
      'content-length': String(Buffer.byteLength(answer.text)),
    });
    response.write(answer.text.slice(0, Math.floor(answer.text.length / 2)));
    setTimeout(() => request.socket.destroy(), 5);
    return answer.status;
  }
  if (fault?.kind === 'delay' && after) await sleep(fault.ms, closing);
  if (closing?.aborted) return void request.socket.destroy();
  if (request.socket.destroyed) return undefined;
  return sent(response, answer);
}

function sent(response: ServerResponse, answer: Answer): number {
  send(response, answer);
  return answer.status;
}
