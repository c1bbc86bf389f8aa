// The kit from the CLI: --mock (a fresh stateful mock per run), `mock` (a long-running one for
// services in any language) and `trigger` (one signed delivery), and what happens without the kit.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMock } from '../src/load-mock.js';
import { UsageError } from '../src/usage-error.js';
import { runCli } from './run-cli.js';

describe('--mock', () => {
  it('runs against a fresh stateful mock: what is added is what comes back', async () => {
    const run = await runCli(
      [
        '--mock',
        'add',
        '--name',
        'billing',
        '--url',
        'https://b.example/rtk',
        '--events',
        'meeting.ended',
        '--json',
      ],
      {},
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({
      name: 'billing',
      url: 'https://b.example/rtk',
      events: ['meeting.ended'],
    });
    const list = await runCli(['list', '--mock', '--json'], {});
    expect(JSON.parse(list.stdout)).toEqual([]); // every run starts empty
  });

  it('refuses bad input with exit 2, naming the flag', async () => {
    const run = await runCli(
      ['--mock', 'add', '--name', 'x', '--url', 'https://x.example', '--events', 'nope'],
      {},
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--events\[0\] must be one of/);
  });

  it('without the mock package installed, names the package and both ways to install it (exit 2)', async () => {
    const project = await mkdtemp(join(tmpdir(), 'rtk-no-mock-'));
    try {
      const error = await loadMock('--mock', '@realtimekit-webhooks/not-installed', project).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(
        `--mock needs the package @realtimekit-webhooks/not-installed, found neither next to this CLI nor in ${project} or a folder above it: npm install --save-dev @realtimekit-webhooks/not-installed in your project (run the CLI from that project), or npm install --global @realtimekit-webhooks/not-installed next to a global CLI`,
      );
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  it("a CLI that cannot resolve the mock itself (installed globally) finds the project's, from a folder below", async () => {
    const project = await mkdtemp(join(tmpdir(), 'rtk-project-'));
    try {
      const installed = join(project, 'node_modules', '@realtimekit-webhooks', 'mock-elsewhere');
      await mkdir(join(installed, 'dist'), { recursive: true });
      await mkdir(join(project, 'src', 'deep'), { recursive: true });
      await writeFile(
        join(installed, 'package.json'),
        JSON.stringify({ type: 'module', exports: { '.': { default: './dist/index.js' } } }),
      );
      await writeFile(join(installed, 'dist', 'index.js'), "export const found = 'the project';\n");
      const kit = (await loadMock(
        '--mock',
        '@realtimekit-webhooks/mock-elsewhere',
        join(project, 'src', 'deep'),
      )) as unknown as { found: string };
      expect(kit.found).toBe('the project');
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });
});

describe('mock and trigger', () => {
  const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
  let server: ChildProcess;
  let urls: { baseUrl: string; keyUrl: string; controlUrl: string };
  let received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let scratch: string;
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(request.url === '/fails' ? 500 : 204).end();
    });
  });
  let to = '';

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'rtk-cli-kit-'));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    to = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    server = spawn(process.execPath, [bin, 'mock', '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    urls = await new Promise((resolve) =>
      server.stdout?.once('data', (chunk: Buffer) => resolve(JSON.parse(String(chunk)))),
    );
  });
  afterAll(async () => {
    receiver.close();
    if (server.exitCode === null) server.kill('SIGKILL');
    await rm(scratch, { recursive: true, force: true });
  });

  it('`mock` serves the API, with state, to other processes', async () => {
    const env = {
      CLOUDFLARE_API_TOKEN: 'any-token',
      CLOUDFLARE_ACCOUNT_ID: 'acc',
      REALTIMEKIT_APP_ID: 'app',
    };
    const add = await runCli(
      [
        'add',
        '--name',
        'shared',
        '--url',
        'https://s.example/rtk',
        '--events',
        'meeting.ended',
        '--base-url',
        urls.baseUrl,
      ],
      env,
    );
    expect(add.code).toBe(0);
    const list = await runCli(['list', '--json', '--base-url', urls.baseUrl], env);
    expect(JSON.parse(list.stdout).map((w: { name: string }) => w.name)).toEqual(['shared']);
    const key = (await (await fetch(urls.keyUrl)).json()) as { data: { publicKey: string } };
    expect(key.data.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('`trigger --key-from` delivers one delivery signed by that mock', async () => {
    received = [];
    const run = await runCli(
      ['trigger', 'meeting.ended', '--to', `${to}/rtk`, '--key-from', urls.controlUrl],
      {},
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Delivered meeting\.ended \(rtk-uuid [0-9a-f-]{36}\) to http:\/\/127\.0\.0\.1:\d+\/rtk: 204$/m,
    );
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]?.body ?? '')).toMatchObject({ event: 'meeting.ended' });
    expect(received[0]?.headers['rtk-signature']).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('`trigger` without --key-from signs with a new key and prints its public key', async () => {
    received = [];
    const run = await runCli(['trigger', 'meeting.started', '--to', `${to}/rtk`], {});
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/-----BEGIN PUBLIC KEY-----/);
    expect(received).toHaveLength(1);
  });

  it.each([
    [
      'a payload that breaks the schema',
      2,
      ['--payload', 'bad.json'],
      /payload\.meeting is required/,
    ],
    ['an unknown event', 2, [], /unknown event "meeting.exploded"/],
    [
      'a receiver that answers 500',
      1,
      [],
      /^Not delivered: \S+\/fails answered 500 to meeting.ended/,
    ],
  ])('`trigger` with %s exits %i', async (what, code, extra, message) => {
    await writeFile(join(scratch, 'bad.json'), JSON.stringify({ event: 'meeting.ended' }));
    const event = what === 'an unknown event' ? 'meeting.exploded' : 'meeting.ended';
    const target = what === 'a receiver that answers 500' ? `${to}/fails` : `${to}/rtk`;
    const run = await runCli(
      ['trigger', event, '--to', target, '--key-from', urls.controlUrl, ...extra],
      {},
      scratch,
    );
    expect(run.code).toBe(code);
    expect(`${run.stdout}${run.stderr}`).toMatch(message);
  });

  it.each([
    ['its API URL', () => urls.baseUrl],
    ['its key URL', () => urls.keyUrl],
    ['its control URL', () => urls.controlUrl],
  ])('`trigger --key-from` takes %s', async (_what, url) => {
    received = [];
    const run = await runCli([
      'trigger',
      'meeting.ended',
      '--to',
      `${to}/rtk`,
      '--key-from',
      url(),
    ]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(received).toHaveLength(1);
  });

  it('`trigger` without --to sends the event to every subscribed webhook registered with the mock', async () => {
    received = [];
    const env = { CLOUDFLARE_API_TOKEN: 'any-token', CLOUDFLARE_ACCOUNT_ID: 'acc' };
    const add = (app: string, name: string, events: string) =>
      runCli(
        [
          'add',
          '--name',
          name,
          '--url',
          `${to}/${name}`,
          '--events',
          events,
          '--app-id',
          app,
          '--base-url',
          urls.baseUrl,
        ],
        env,
      ).then((run) => expect(run.code).toBe(0));
    await add('emit-app', 'ended-hook', 'meeting.ended');
    await add('emit-app', 'started-hook', 'meeting.started');
    await add('other-app', 'elsewhere', 'meeting.ended');
    const run = await runCli([
      'trigger',
      'meeting.ended',
      '--key-from',
      urls.baseUrl,
      '--app-id',
      'emit-app',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const [result, ...others] = JSON.parse(run.stdout);
    expect(others).toEqual([]);
    expect(result).toMatchObject({
      url: `${to}/ended-hook`,
      delivered: true,
      attempts: 1,
      status: 204,
    });
    expect(received).toHaveLength(1);
  });

  it('`trigger` names an unreachable receiver or mock by URL and error code', async () => {
    const port = await getPort({ host: '127.0.0.1' }); // free: nothing listens there
    const closed = `http://127.0.0.1:${port}/rtk`;
    const direct = await runCli(['trigger', 'meeting.ended', '--to', closed]);
    expect(direct.code).toBe(1);
    expect(direct.stderr).toContain(`could not reach ${closed}: ECONNREFUSED`);
    const viaMissingMock = await runCli([
      'trigger',
      'meeting.ended',
      '--to',
      `${to}/rtk`,
      '--key-from',
      `http://127.0.0.1:${port}`,
    ]);
    expect(viaMissingMock.code).toBe(1);
    expect(viaMissingMock.stderr).toContain(
      `could not reach the mock at http://127.0.0.1:${port}: ECONNREFUSED`,
    );
  });

  it('`trigger` suggests the event meant, and --json turns the error into JSON', async () => {
    const run = await runCli(['trigger', 'meeting.endd', '--to', `${to}/rtk`, '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stderr)).toEqual({
      error: { message: 'unknown event "meeting.endd" (did you mean meeting.ended?)', exitCode: 2 },
    });
  });

  it('`mock` stops on SIGINT: exit 0 and nothing left listening', async () => {
    const exited = new Promise<number | null>((resolve) =>
      server.once('exit', (code) => resolve(code)),
    );
    server.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(urls.baseUrl)).rejects.toThrow();
    await expect(fetch(`${urls.controlUrl}/__mock/webhooks`)).rejects.toThrow();
  });
});

describe('`mock` options', () => {
  const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

  it('--token makes it the only token accepted, and --control-port fixes the control URL', async () => {
    const controlPort = await getPort({ host: '127.0.0.1' });
    const server = spawn(
      process.execPath,
      [bin, 'mock', '--json', '--token', 'only-this-one', '--control-port', String(controlPort)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const urls: { baseUrl: string; controlUrl: string } = await new Promise((resolve) =>
        server.stdout?.once('data', (chunk: Buffer) => resolve(JSON.parse(String(chunk)))),
      );
      expect(urls.controlUrl).toBe(`http://127.0.0.1:${controlPort}`);
      const list = (token: string) =>
        runCli(['list', '--base-url', urls.baseUrl, '--max-retries', '0'], {
          CLOUDFLARE_API_TOKEN: token,
          CLOUDFLARE_ACCOUNT_ID: 'acc',
          REALTIMEKIT_APP_ID: 'app',
        });
      expect((await list('only-this-one')).code).toBe(0);
      const refused = await list('another-token');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/AuthenticationError/);
    } finally {
      server.kill('SIGKILL');
    }
  });
});
