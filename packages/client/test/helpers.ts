import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { specPath } from '@realtimekit-webhooks/spec';
import { parse } from 'yaml';
import { createRealtimeKitClient, type RealtimeKitClientOptions } from '../src/index.js';

// Throwaway values: nothing here is a real credential.
export const TEST_TOKEN = 'test-token-6f1c2a9e';
export const ACCOUNT_ID = '023e105f4ecef8ad9ca31a8372d0c353';
export const APP_ID = 'app0123456789';

/** The requests a client sent through `recordingFetch`. */
export interface Recorded {
  requests: Request[];
  bodies: string[];
}

/** A `fetch` that records each request and answers with `respond` (a fresh Response every call). */
export function recordingFetch(respond: (request: Request) => Response | Promise<Response>) {
  const recorded: Recorded = { requests: [], bodies: [] };
  const fetch = async (request: Request) => {
    recorded.requests.push(request.clone());
    recorded.bodies.push(await request.clone().text());
    return respond(request);
  };
  return { fetch, recorded };
}

/** A JSON response, as the API would send it. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** Client options with throwaway credentials; `options` override them. */
export function testOptions(options: RealtimeKitClientOptions = {}): RealtimeKitClientOptions {
  return {
    apiToken: TEST_TOKEN,
    accountId: ACCOUNT_ID,
    appId: APP_ID,
    baseUrl: 'https://api.test/client/v4',
    ...options,
  };
}

/** A client with throwaway credentials; `options` override them. */
export function testClient(options: RealtimeKitClientOptions = {}) {
  return createRealtimeKitClient(testOptions(options));
}

/** The spec, parsed: tests take their example bodies from it instead of restating API facts. */
export const spec = parse(readFileSync(specPath, 'utf8'));

/** A named example of `components.examples` in the spec. */
export function specExample(name: string): unknown {
  const example = spec.components.examples[name];
  if (!example) throw new Error(`The spec has no example named ${name}`);
  return example.value;
}

/** Everything a log line could show of an error: message, String(), stack, JSON and a deep inspect. */
export function everyRendering(error: unknown): string[] {
  const e = error as Error;
  return [
    e.message,
    String(e),
    e.stack ?? '',
    JSON.stringify(e),
    inspect(e, { depth: 12, showHidden: true }),
  ];
}
