// The CLI as a real process against the stateful fake of the API.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEBHOOK_EVENTS } from '@realtimekit-webhooks/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFakeApi } from './fake-api-fixture.js';
import { runCli } from './run-cli.js';

const kit = useFakeApi('rtk-cli-');
const { api, file } = kit;
const env: Record<string, string> = {
  CLOUDFLARE_API_TOKEN: 'throwaway-token',
  CLOUDFLARE_ACCOUNT_ID: 'acc',
  REALTIMEKIT_APP_ID: 'app',
};
/** Where the CLI's env puts webhooks: account `acc`, app `app`. */
const SCOPE = { accountId: 'acc', appId: 'app' };
const writes = () => kit.fake.requests.filter((r) => r.method !== 'GET');

describe('commands', () => {
  it('add, then list as a table and as JSON', async () => {
    const added = await runCli(
      [
        'add',
        '--name',
        'billing',
        '--url',
        'https://billing.example.com/rtk',
        '--events',
        'meeting.started, meeting.ended',
        ...api(),
      ],
      env,
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
    const [stored] = kit.fake.store.list();
    expect(stored).toMatchObject({
      name: 'billing',
      events: ['meeting.started', 'meeting.ended'],
      enabled: true,
    });
    expect(added.stdout).toBe(`Created webhook billing (${stored?.id})\n`);

    const table = await runCli(['list', ...api()], env);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+ENABLED\s+EVENTS\s+URL$/);
    expect(table.stdout).toContain(
      `${stored?.id}  billing  yes      meeting.started,meeting.ended  https://billing.example.com/rtk`,
    );

    const json = await runCli(['list', '--json', ...api()], env);
    expect(JSON.parse(json.stdout)).toEqual(kit.fake.store.list());
  });

  it('get, update, replace and delete one webhook', async () => {
    const { id } = kit.fake.store.create(
      {
        name: 'a',
        url: 'https://a.example/x',
        events: ['meeting.ended'],
      },
      SCOPE,
    );
    expect(JSON.parse((await runCli(['get', id, '--json', ...api()], env)).stdout)).toMatchObject({
      id,
      name: 'a',
    });

    expect((await runCli(['update', id, '--disabled', ...api()], env)).stdout).toBe(
      `Updated webhook a (${id})\n`,
    );
    expect(kit.fake.store.get(id)).toMatchObject({ enabled: false, url: 'https://a.example/x' });

    await runCli(
      [
        'replace',
        id,
        '--name',
        'b',
        '--url',
        'https://b.example/y',
        '--events',
        'meeting.started',
        ...api(),
      ],
      env,
    );
    expect(kit.fake.store.get(id)).toMatchObject({
      name: 'b',
      url: 'https://b.example/y',
      events: ['meeting.started'],
      enabled: true,
    });

    expect(await runCli(['delete', id, ...api()], env)).toMatchObject({
      code: 0,
      stdout: `Deleted webhook b (${id})\n`,
    });
    expect(kit.fake.store.list()).toEqual([]);
  });

  it('events lists every event name, one per line', async () => {
    expect((await runCli(['events', ...api()], env)).stdout).toBe(`${WEBHOOK_EVENTS.join('\n')}\n`);
  });

  it('accepts global options before or after the command', async () => {
    const before = await runCli(['--json', '--app-id', 'other', ...api(), 'list'], env);
    const after = await runCli(['list', '--json', '--app-id', 'other', ...api()], env);
    expect(before).toEqual(after);
    expect(before.code).toBe(0);
    expect(kit.fake.requests.map((r) => r.path)).toEqual([
      '/accounts/acc/realtime/kit/other/webhooks',
      '/accounts/acc/realtime/kit/other/webhooks',
    ]);
  });
});

describe('ensure --file', () => {
  const wanted = `webhooks:
  - name: billing-prod
    url: https://billing.example.com/rtk
    events: [meeting.started, meeting.ended]
  - name: recordings
    url: https://rec.example.com/rtk
    events: [recording.statusUpdate]
    enabled: false
`;

  it('run twice leaves one webhook per entry, and says what it did', async () => {
    const path = await file('webhooks.yaml', wanted);
    const first = await runCli(['ensure', '--file', path, ...api()], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^created\s+billing-prod\s+\S+\ncreated\s+recordings\s+\S+\n$/m);
    const second = await runCli(['ensure', '-f', path, ...api()], env);
    expect(second.stdout).toMatch(/unchanged\s+billing-prod[\s\S]*unchanged\s+recordings/);
    expect(kit.fake.store.list().map((w) => [w.name, w.enabled])).toEqual([
      ['billing-prod', true],
      ['recordings', false],
    ]);
  });

  it('--dry-run prints the plan, each field an update changes, and sends nothing', async () => {
    kit.fake.store.create(
      { name: 'recordings', url: 'https://old.example.com', events: [] },
      SCOPE,
    );
    const path = await file('dry.yaml', wanted);
    const run = await runCli(['ensure', '--file', path, '--dry-run', '--json', ...api()], env);
    const changes = {
      url: { from: 'https://old.example.com', to: 'https://rec.example.com/rtk' },
      events: { from: [], to: ['recording.statusUpdate'] },
      enabled: { from: true, to: false },
    };
    expect(JSON.parse(run.stdout)).toEqual([
      { name: 'billing-prod', action: 'created', id: null, duplicates: [], dryRun: true },
      {
        name: 'recordings',
        action: 'updated',
        id: expect.any(String),
        duplicates: [],
        changes,
        dryRun: true,
      },
    ]);
    const human = await runCli(['ensure', '--file', path, '--dry-run', ...api()], env);
    expect(human.stdout).toContain('url: https://old.example.com -> https://rec.example.com/rtk');
    expect(human.stdout).toContain('events:  -> recording.statusUpdate');
    expect(human.stdout).toContain('enabled: true -> false');
    expect(writes()).toEqual([]);
    expect(kit.fake.store.list()).toHaveLength(1);
  });

  it('--prune deletes the webhooks the file does not name; with --dry-run it only lists them', async () => {
    const stray = kit.fake.store.create(
      { name: 'left-over', url: 'https://old.example.com/rtk', events: ['meeting.ended'] },
      SCOPE,
    );
    const path = await file('prune-stray.yaml', wanted);
    const dry = await runCli(['ensure', '--file', path, '--prune', '--dry-run', ...api()], env);
    expect(dry.stdout).toMatch(new RegExp(`would delete\\s+left-over\\s+${stray.id}`));
    expect(writes()).toEqual([]);
    const run = await runCli(['ensure', '--file', path, '--prune', '--json', ...api()], env);
    expect(JSON.parse(run.stdout)).toContainEqual({
      name: 'left-over',
      action: 'deleted',
      id: stray.id,
      duplicates: [],
      dryRun: false,
    });
    expect(
      kit.fake.store
        .list()
        .map((w) => w.name)
        .sort(),
    ).toEqual(['billing-prod', 'recordings']);
    // Without --prune, nothing the file does not name is touched.
    const other = kit.fake.store.create(
      { name: 'someone-elses', url: 'https://x.example.com/rtk', events: ['meeting.ended'] },
      SCOPE,
    );
    await runCli(['ensure', '--file', path, ...api()], env);
    expect(kit.fake.store.get(other.id)).toBeDefined();
  });

  it('--prune deletes duplicates and keeps the oldest', async () => {
    const oldest = kit.fake.store.create(
      {
        name: 'billing-prod',
        url: 'https://billing.example.com/rtk',
        events: ['meeting.started', 'meeting.ended'],
      },
      SCOPE,
    );
    kit.fake.store.create(
      {
        name: 'billing-prod',
        url: 'https://billing.example.com/rtk',
        events: ['meeting.started', 'meeting.ended'],
      },
      SCOPE,
    );
    const path = await file('prune.yaml', wanted.split('  - name: recordings')[0] ?? '');
    const run = await runCli(['ensure', '--file', path, '--prune', ...api()], env);
    expect(run.stdout).toContain('1 duplicate(s) deleted');
    expect(kit.fake.store.list().map((w) => w.id)).toEqual([oldest.id]);
  });

  it('refuses a bad file before sending anything, naming each line', async () => {
    const path = await file(
      'bad.yaml',
      `webhooks:
  - name: billing-prod
    url: not a url
    events: [meeting.started, meeting.exploded]
  - name: billing-prod
    url: https://b.example.com
    events: []
    colour: blue
`,
    );
    const run = await runCli(['ensure', '--file', path, ...api()], env);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      `rtk-webhooks: ${path}:3: webhooks[0].url must be an absolute URI such as https://example.com/webhooks`,
      expect.stringMatching(
        new RegExp(
          `^rtk-webhooks: ${path}:4: webhooks\\[0\\]\\.events\\[1\\] must be one of .* \\(got "meeting.exploded"\\)$`,
        ),
      ),
      `rtk-webhooks: ${path}:8: webhooks[1].colour is not a known field (expected one of events, name, url, enabled)`,
      `rtk-webhooks: ${path}:5: webhooks[1].name "billing-prod" is already used by webhooks[0]`,
    ]);
    expect(kit.fake.requests).toEqual([]);
  });

  it.each([
    ['broken YAML', 'webhooks:\n  - name: [unclosed\n', /:\d+: /],
    ['no webhooks list', 'hooks: []\n', /expected a "webhooks:" list/],
    [
      'an entry that is not a mapping',
      'webhooks:\n  - just-a-string\n',
      /:2: webhooks\[0\] must be an object \(got string\)/,
    ],
  ])('reports %s with a line', async (_name, text, message) => {
    const run = await runCli(['ensure', '--file', await file('x.yaml', text), ...api()], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

describe('usage errors exit 2 and name the fix', () => {
  it.each([
    [['add', '--nmae', 'x'], "Unknown option '--nmae' (did you mean --name?)"],
    [['add', '--prune'], 'option --prune is not an option of "add"'],
    [['add', '--fiel', 'x'], "Unknown option '--fiel' (did you mean --file?)"],
    [['get'], '"get" needs a webhook id: rtk-webhooks get <id> (or --name <name>)'],
    [['get', 'id', '--name', 'x'], '"get" takes a webhook id or --name, not both'],
    [['lst'], 'unknown command "lst" (did you mean list?)'],
    [['zzzzzz'], 'unknown command "zzzzzz" (expected one of: list, get'],
    [['list', 'extra'], 'unexpected argument "extra"'],
    [['update', 'id', '--enabled', '--disabled'], '--enabled and --disabled cannot both be given'],
    [['ensure'], '"ensure" needs --file'],
    [
      ['add', '--name', 'x', '--url', 'nope', '--events', 'meeting.ended'],
      'invalid input: --url must be an absolute URI',
    ],
    [
      ['add', '--url', 'https://a.example', '--events', 'meeting.ended'],
      'invalid input: --name is required',
    ],
    [['get', 'not-a-uuid'], 'invalid input: the webhook id must be a UUID'],
    [
      ['list', '--max-retries', 'many'],
      'invalid input: --max-retries must be a whole number, 0 or more',
    ],
  ])('%j', async (args, message) => {
    const run = await runCli([...args, ...api()], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(kit.fake.requests).toEqual([]);
  });

  it.each([
    ['CLOUDFLARE_API_TOKEN', 'set CLOUDFLARE_API_TOKEN'],
    ['CLOUDFLARE_ACCOUNT_ID', 'pass --account-id or set CLOUDFLARE_ACCOUNT_ID'],
    ['REALTIMEKIT_APP_ID', 'pass --app-id or set REALTIMEKIT_APP_ID'],
  ])('without %s', async (variable, message) => {
    const { [variable]: _, ...rest } = env;
    const run = await runCli(['list', ...api()], rest);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain(message);
  });

  it("applies the client's token rule to CLOUDFLARE_API_TOKEN, without quoting the token", async () => {
    const run = await runCli(['list', ...api()], {
      ...env,
      CLOUDFLARE_API_TOKEN: 'first-half second-half',
    });
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain(
      'the API token CLOUDFLARE_API_TOKEN contains a space, line break or control character at position 11',
    );
    expect(run.stderr).not.toContain('half');
    expect(kit.fake.requests).toEqual([]);
  });
});

describe('--url-secret-env: the URL secret that binds deliveries to this service', () => {
  const SECRET = 'cli-secret_0123456789abcdefXYZ';
  const secretEnv = { ...env, RTK_URL_SECRET: SECRET };

  it('add and ensure register the URL with the secret, and never print it', async () => {
    const add = await runCli(
      [
        'add',
        '--name',
        'bound',
        '--url',
        'https://bound.example.com/rtk',
        '--events',
        'meeting.ended',
        '--url-secret-env',
        'RTK_URL_SECRET',
        '--json',
        ...api(),
      ],
      secretEnv,
    );
    expect(add.code).toBe(0);
    const [stored] = kit.fake.store.list();
    expect(stored?.url).toBe(`https://bound.example.com/rtk?rtk_secret=${SECRET}`);
    expect(add.stdout).not.toContain(SECRET);
    expect(JSON.parse(add.stdout).url).toBe('https://bound.example.com/rtk?rtk_secret=***');
    const list = await runCli(['list', ...api()], secretEnv);
    expect(list.stdout).toContain('rtk_secret=***');
    expect(list.stdout).not.toContain(SECRET);

    const path = await file(
      'bound.yaml',
      'webhooks:\n  - name: bound\n    url: https://bound.example.com/rtk\n    events: [meeting.ended]\n',
    );
    const ensure = await runCli(
      ['ensure', '--file', path, '--url-secret-env', 'RTK_URL_SECRET', ...api()],
      secretEnv,
    );
    expect(ensure.stdout).toMatch(/^unchanged\s+bound/m); // the same URL, secret included
  });

  it('refuses a variable that is not set, or a secret too short, before sending anything', async () => {
    const args = [
      'add',
      '--name',
      'x',
      '--url',
      'https://x.example/rtk',
      '--events',
      'meeting.ended',
    ];
    const unset = await runCli([...args, '--url-secret-env', 'NOPE', ...api()], env);
    expect([unset.code, unset.stderr.trim()]).toEqual([
      2,
      'rtk-webhooks: --url-secret-env NOPE: the environment variable NOPE is not set',
    ]);
    const short = await runCli([...args, '--url-secret-env', 'SHORT', ...api()], {
      ...env,
      SHORT: 'abc',
    });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('a URL secret must be 16 to 256 characters');
    expect(kit.fake.requests).toEqual([]);
  });
});

describe('get and delete by --name', () => {
  it('find the one webhook with that name; refuse a name held by none or by several', async () => {
    const kept = kit.fake.store.create(
      { name: 'by-name', url: 'https://n.example/rtk', events: ['meeting.ended'] },
      SCOPE,
    );
    const got = await runCli(['get', '--name', 'by-name', '--json', ...api()], env);
    expect(JSON.parse(got.stdout)).toMatchObject({ id: kept.id, name: 'by-name' });
    const missing = await runCli(['delete', '--name', 'nobody', ...api()], env);
    expect([missing.code, missing.stderr.trim()]).toEqual([
      2,
      'rtk-webhooks: no webhook is named "nobody" (rtk-webhooks list shows them)',
    ]);
    const twin = kit.fake.store.create(
      { name: 'by-name', url: 'https://n.example/rtk', events: ['meeting.ended'] },
      SCOPE,
    );
    const ambiguous = await runCli(['delete', '--name', 'by-name', ...api()], env);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(
      `2 webhooks are named "by-name": give one id instead (${kept.id}, ${twin.id})`,
    );
    expect(kit.fake.store.list()).toHaveLength(2);
    await runCli(['delete', twin.id, ...api()], env);
    const deleted = await runCli(['delete', '--name', 'by-name', ...api()], env);
    expect(deleted.code).toBe(0);
    expect(kit.fake.store.list()).toEqual([]);
  });
});

describe('--json errors', () => {
  it('a usage error and an API error are one JSON object on stderr', async () => {
    const usage = await runCli(['lst', '--json', ...api()], env);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr)).toEqual({
      error: { message: 'unknown command "lst" (did you mean list?)', exitCode: 2 },
    });
    const missing = await runCli(
      ['get', '0d1f069d-43bb-489a-ad8c-7eb95592ba8e', '--json', ...api()],
      env,
    );
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr).error.message).toMatch(/^NotFoundError: /);
  });
});

describe('API and network failures exit 1', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      response
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify('{\n  message: "Unauthorized"\n}\n'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server?.close());

  it('a 401 prints one line that mentions the token permissions', async () => {
    const run = await runCli(['list', '--base-url', url], env);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'rtk-webhooks: AuthenticationError: 401 Unauthorized: Unauthorized (check that the API token is set and has the "Realtime Admin" or "Realtime" permission)',
    ]);
    expect(run.stderr).not.toContain('throwaway-token');
  });

  it('an unreachable API says to check --base-url', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    // --max-retries 0: the refused connection is reported at once instead of after the backoff.
    const run = await runCli(
      ['list', '--base-url', `http://127.0.0.1:${port}`, '--max-retries', '0'],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^rtk-webhooks: ConnectionError: .*\(check --base-url and the network\)\n$/,
    );
  });

  it('--max-retries is handed to the client: 0 sends a failing call once', async () => {
    let requests = 0;
    const busy = createServer((_request, response) => {
      requests += 1;
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"busy"}');
    });
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (busy.address() as AddressInfo).port;
      const run = await runCli(
        ['list', '--base-url', `http://127.0.0.1:${port}`, '--max-retries', '0'],
        env,
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^rtk-webhooks: InternalServerError: 503/);
      expect(requests).toBe(1);
    } finally {
      busy.close();
    }
  });
});

describe('help', () => {
  it.each(['list', 'get', 'add', 'update', 'replace', 'delete', 'events', 'ensure'])(
    '%s --help',
    async (command) => {
      const run = await runCli([command, '--help'], {});
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(new RegExp(`^rtk-webhooks ${command}`));
      expect(run.stdout).toContain('CLOUDFLARE_API_TOKEN');
    },
  );

  it('with no command prints the overview on stderr and exits 2', async () => {
    const run = await runCli([], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Commands:');
  });
});
