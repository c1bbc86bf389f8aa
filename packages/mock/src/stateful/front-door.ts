// The mock's public door: faults a test queued happen here, in front of Prism, the way a network
// or a gateway fails in front of the real API. Prism behind it judges only what the API itself
// answers; an empty 503 from a gateway or a reset connection is not the API's answer to judge.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type Answer, answerWithFault, gatewayAnswer, send } from './apply-fault.js';
import type { FaultQueue } from './fault-queue.js';
import { listenOnLoopback } from './loopback-listener.js';
import { failureStatus, readCappedBody, refusal } from './request-guard.js';

/** A running front door. */
export interface FrontDoor {
  readonly baseUrl: string;
  stop(): Promise<void>;
}

// Hop-by-hop and recomputed headers are not copied between the two connections.
const NOT_FORWARDED = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
]);

async function forward(upstream: string, request: IncomingMessage, body: Buffer) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = request.method ?? 'GET';
  return fetch(`${upstream}${request.url ?? '/'}`, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? null : new Uint8Array(body),
    redirect: 'manual',
  });
}

/** The upstream's answer, to send on: its headers without hop-by-hop ones and CORS. */
async function relayed(upstream: Response): Promise<Answer> {
  const headers: Record<string, string> = {};
  upstream.headers.forEach((value, name) => {
    // Prism answers CORS for any origin, with credentials: no web page may read the mock.
    if (name.startsWith('access-control-')) return;
    if (!NOT_FORWARDED.has(name) && name !== 'content-encoding') headers[name] = value;
  });
  return { status: upstream.status, headers, text: await upstream.text() };
}

/**
 * Starts the door on `host`, forwarding to `upstream` and applying `faults` per request. The
 * control API (`/__mock/...`) is forwarded to `control` untouched, so every URL the mock prints
 * reaches it (`rtk-webhooks trigger --key-from` takes any of them).
 */
export async function startFrontDoor(
  upstream: string,
  control: string,
  faults: FaultQueue,
  host: string,
  port = 0,
): Promise<FrontDoor> {
  let index = 0;
  const closing = new AbortController();
  const server = createServer((request, response) => {
    // Nothing a client sends or aborts may end the process: every failure ends this request only.
    serve(request, response).catch((error: unknown) => {
      if (response.headersSent || request.socket.destroyed) return void request.socket.destroy();
      const status = failureStatus(error);
      response
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: (error as Error).message }));
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refused = refusal(request);
    if (refused) {
      return void response
        .writeHead(refused.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: refused.message }));
    }
    const url = new URL(request.url ?? '/', 'http://door.invalid');
    if (url.pathname.startsWith('/__mock/')) {
      const body = await readCappedBody(request);
      try {
        return send(response, await relayed(await forward(control, request, body)));
      } catch {
        return send(response, gatewayAnswer(502));
      }
    }
    const fault = faults.take({
      method: request.method ?? 'GET',
      path: url.pathname,
      index: index++,
    });
    const body = await readCappedBody(request);
    try {
      await answerWithFault(
        fault,
        request,
        response,
        async () => relayed(await forward(upstream, request, body)),
        closing.signal,
      );
    } catch (error) {
      if (!response.headersSent) send(response, gatewayAnswer(502));
      else response.destroy(error as Error);
    }
  }
  const listening = await listenOnLoopback(server, host, port);
  return {
    baseUrl: listening.baseUrl,
    stop: () => {
      // Held requests end now (the queued faults are the fake's: it clears them when it stops).
      closing.abort();
      return listening.stop();
    },
  };
}
