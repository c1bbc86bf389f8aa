// `pnpm spec:upstream`: spec/ against Cloudflare's published description. It passes on the files
// as committed, and names each difference when a copy of the vendored upstream gains what
// Cloudflare could publish next (a request field, an event, an operation); the extraction the
// scheduled workflow runs on the latest openapi.json is tested here, offline, on the vendored copy.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { upstreamFragmentPath } from '@realtimekit-webhooks/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exampleMessage, upstreamDocument } from '../lib/upstream-diff.mjs';

const script = fileURLToPath(new URL('../spec-upstream.mjs', import.meta.url));
const vendored = upstreamFragmentPath;
const workflow = fileURLToPath(
  new URL('../../.github/workflows/upstream-drift.yml', import.meta.url),
);
const scratch = mkdtempSync(join(tmpdir(), 'rtk-upstream-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: each test walks the fragment by its known shape
type Json = Record<string, any>;
const fragment = (): Json => JSON.parse(readFileSync(vendored, 'utf8'));

function run(...args: string[]) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    execFile(process.execPath, [script, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, out: stdout + stderr });
    });
  });
}

let copies = 0;
/** Runs the check against a copy of the vendored fragment changed by `change`. */
async function runAgainst(change: (upstream: Json) => void) {
  const upstream = fragment();
  change(upstream);
  const path = join(scratch, `fragment-${++copies}.json`);
  writeFileSync(path, JSON.stringify(upstream));
  return run('--fragment', path);
}
const newLines = (out: string) =>
  out
    .split('\n')
    .filter((line) => line.startsWith('  new: '))
    .map((line) => line.slice(7));

const schemas = (upstream: Json) => upstream.components.schemas;
const EVENT_LISTS = (upstream: Json) => [
  schemas(upstream).realtimekit_WebhookRequest.properties.events.items,
  schemas(upstream).realtimekit_PatchWebhookRequest.properties.events.items,
  schemas(upstream).realtimekit_Webhook.properties.events.items,
  schemas(upstream).realtimekit_WebhookEventsSuccessResponse.properties.data.items,
];

describe('pnpm spec:upstream', () => {
  it('passes on the committed spec and vendored upstream, every difference intended', async () => {
    const { code, out } = await run();
    expect(out).toMatch(/at c92b9b0f \(2026-07-27\): (\d+) differences, \1 intended, 0 new/);
    expect(code).toBe(0);
  });

  it('names a request field Cloudflare adds, on every operation that sends it', async () => {
    const { code, out } = await runAgainst((upstream) => {
      schemas(upstream).realtimekit_WebhookRequest.properties.secret = { type: 'string' };
    });
    expect(code).toBe(1);
    expect(newLines(out)).toEqual([
      'addWebhook request body: field "secret": only upstream',
      'replaceWebhook request body: field "secret": only upstream',
    ]);
  });

  it('names a request field made required', async () => {
    const { code, out } = await runAgainst((upstream) => {
      schemas(upstream).realtimekit_WebhookRequest.required.push('enabled');
    });
    expect(code).toBe(1);
    expect(newLines(out)).toEqual([
      'addWebhook request body: field "enabled" required true: only upstream',
      'replaceWebhook request body: field "enabled" required true: only upstream',
    ]);
  });

  it('names an event Cloudflare adds, wherever events are listed', async () => {
    const { code, out } = await runAgainst((upstream) => {
      for (const list of EVENT_LISTS(upstream)) list.enum.push('meeting.recordingStarted');
    });
    expect(code).toBe(1);
    const lines = newLines(out);
    for (const where of [
      'addWebhook request body.events[]',
      'editWebhook request body.events[]',
      'getWebhook response 200.data.events[]',
      'getAllWebhooks response 200.data[].events[]',
      'getAllWebhookEvents response 200.data[]',
    ]) {
      expect(lines).toContain(`${where}: enum value "meeting.recordingStarted": only upstream`);
    }
    expect(lines.every((line) => line.includes('meeting.recordingStarted'))).toBe(true);
  });

  it('names an event Cloudflare removes', async () => {
    const { out } = await runAgainst((upstream) => {
      for (const list of EVENT_LISTS(upstream))
        list.enum.splice(list.enum.indexOf('meeting.summary'), 1);
    });
    expect(newLines(out)).toContain(
      'addWebhook request body.events[]: enum value "meeting.summary": only in spec/',
    );
  });

  it('names an operation Cloudflare adds, and the known schema it now uses as no longer unused', async () => {
    const { code, out } = await runAgainst((upstream) => {
      upstream.paths['/accounts/{account_id}/realtime/kit/{app_id}/webhooks/{webhook_id}/logs'] = {
        get: {
          operationId: 'getWebhookLogs',
          summary: 'Fetch delivery logs of a webhook',
          responses: {
            '200': {
              description: 'ok',
              content: {
                'application/json': {
                  schema: {
                    type: 'array',
                    items: { $ref: '#/components/schemas/realtimekit_WebhookLog' },
                  },
                },
              },
            },
          },
        },
      };
    });
    expect(code).toBe(1);
    expect(newLines(out)).toEqual([
      'operation getWebhookLogs (GET /accounts/{account_id}/realtime/kit/{app_id}/webhooks/{webhook_id}/logs): only upstream',
    ]);
    expect(out).toMatch(/stale: schema realtimekit_WebhookLog \(no operation uses it\)/);
  });

  it('names a response field removed, a format dropped, a type changed and an error text reworded', async () => {
    const { code, out } = await runAgainst((upstream) => {
      delete schemas(upstream).realtimekit_Webhook.properties.updated_at;
      delete schemas(upstream).realtimekit_Webhook.properties.url.format;
      schemas(upstream).realtimekit_ErrorResponse.properties.error.properties.code.type = 'integer';
      upstream.paths['/accounts/{account_id}/realtime/kit/{app_id}/webhooks'].post.responses[
        '400'
      ].content['application/json'].examples.default.value =
        '{ success: false, error: { code: 400, message: \'BAD_REQUEST: "url" is required\' } }';
    });
    expect(code).toBe(1);
    const lines = newLines(out);
    expect(lines).toContain('getWebhook response 200.data: field "updated_at": only in spec/');
    expect(lines).toContain('getWebhook response 200.data.url: format "uri": only in spec/');
    expect(lines).toContain(
      'addWebhook response 400.error.code: type: spec/ "number", upstream "integer"',
    );
    expect(lines).toContain(
      'addWebhook response 400: example text "BAD_REQUEST: \\"name\\" is required": only in spec/',
    );
    expect(lines).toContain(
      'addWebhook response 400: example text "BAD_REQUEST: \\"url\\" is required": only upstream',
    );
  });

  it('reads error texts published as JSON, as JavaScript-like text, or as objects alike', () => {
    const text = 'BAD_REQUEST: "id" must be a valid GUID';
    expect(
      exampleMessage(`{\n  success: false,\n  error: { code: 400, message: '${text}' }\n}\n`),
    ).toBe(text);
    expect(
      exampleMessage(JSON.stringify({ success: false, error: { code: 400, message: text } })),
    ).toBe(text);
    expect(exampleMessage({ success: false, error: { code: 400, message: text } })).toBe(text);
    expect(exampleMessage('{\n  message: "Unauthorized"\n}\n')).toBe('Unauthorized');
    expect(exampleMessage({ data: [] })).toBeUndefined();
  });
});

describe("the scheduled drift check's extraction from a whole openapi.json", () => {
  /** A stand-in for Cloudflare's whole description: the vendored part among unrelated ones. */
  function wholeDescription(): Json {
    const upstream = upstreamDocument(fragment());
    return {
      openapi: '3.0.3',
      paths: {
        ...upstream.paths,
        '/accounts/{account_id}/realtime/kit/{app_id}/meetings': {
          get: {
            operationId: 'getMeetings',
            parameters: [
              {
                name: 'account_id',
                in: 'path',
                schema: { $ref: '#/components/schemas/realtimekit_account_identifier' },
              },
            ],
            responses: {
              '200': {
                description: 'ok',
                content: {
                  'application/json': {
                    schema: { $ref: '#/components/schemas/realtimekit_Meeting' },
                  },
                },
              },
            },
          },
        },
        '/zones': {
          get: { operationId: 'listZones', responses: { '200': { description: 'ok' } } },
        },
      },
      components: {
        schemas: {
          ...upstream.components.schemas,
          realtimekit_Meeting: { type: 'object', properties: { id: { type: 'string' } } },
          zones_zone: { type: 'object' },
        },
        securitySchemes: { api_token: { type: 'http', scheme: 'bearer' } },
      },
    };
  }

  it('cuts exactly the webhooks paths and what they use (and the unused webhook schema), and compares the same', async () => {
    const whole = join(scratch, 'openapi.json');
    const cut = join(scratch, 'cut.json');
    writeFileSync(whole, JSON.stringify(wholeDescription()));
    const { code, out } = await run(
      '--openapi',
      whole,
      '--source-commit',
      'feedc0de'.repeat(5),
      '--write-fragment',
      cut,
    );
    const extracted = JSON.parse(readFileSync(cut, 'utf8'));
    const expected = upstreamDocument(fragment());
    expect(Object.keys(extracted.paths).sort()).toEqual(Object.keys(expected.paths).sort());
    expect(extracted.paths).toEqual(expected.paths);
    expect(extracted.components.schemas).toEqual(expected.components.schemas);
    expect(extracted['x-source']).toMatchObject({ commit: 'feedc0de'.repeat(5) });
    expect(out).toMatch(/at feedc0de: (\d+) differences, \1 intended, 0 new/);
    expect(code).toBe(0);
  });

  it('refuses a description with no RealtimeKit webhooks path', async () => {
    const whole = join(scratch, 'other.json');
    writeFileSync(whole, JSON.stringify({ openapi: '3.0.3', paths: { '/zones': {} } }));
    const { code, out } = await run('--openapi', whole);
    expect(code).not.toBe(0);
    expect(out).toMatch(/no RealtimeKit webhooks path: was the right file given/);
  });

  it('is what the scheduled workflow runs on the latest openapi.json', () => {
    const flow = parse(readFileSync(workflow, 'utf8'));
    expect(flow.on.schedule[0].cron).toMatch(/\S+ \S+ \S+ \S+ \S+/);
    const steps: string = flow.jobs.drift.steps.map((step: Json) => step.run ?? '').join('\n');
    expect(steps).toMatch(/cloudflare\/api-schemas/);
    expect(steps).toMatch(/spec-upstream\.mjs --openapi/);
  });
});
