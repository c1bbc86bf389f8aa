// What the CLI says, where a new user tripped: help that lists --version, the id named as the
// argument it is, typos of event names answered with the closest one, YAML mistakes on their own
// line, expected failures without "unexpected error", tables that neither widen for notes nor
// tell a secret's length, and ensure files whose problems stay bounded in time and size.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_ENSURE_FILE_BYTES, MAX_PROBLEM_CHARS, readEnsureFile } from '../src/ensure-file.js';
import { table } from '../src/output.js';
import { UsageError } from '../src/usage-error.js';
import { useFakeApi } from './fake-api-fixture.js';
import { runCli } from './run-cli.js';

const kit = useFakeApi('rtk-cli-wording-');
const { api, file } = kit;
const env = {
  CLOUDFLARE_API_TOKEN: 'throwaway-token',
  CLOUDFLARE_ACCOUNT_ID: 'acc',
  REALTIMEKIT_APP_ID: 'app',
};
const SCOPE = { accountId: 'acc', appId: 'app' };

describe('help and arguments', () => {
  it('--help lists --version, and --version prints one', async () => {
    const help = await runCli(['--help'], {});
    expect(help.stdout).toMatch(/^ {2}--version {2,}print this CLI's version$/m);
    const version = await runCli(['--version'], {});
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });

  it('a malformed id is named as the argument it is, not as a flag that does not exist', async () => {
    const run = await runCli(['get', 'nope', ...api()], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid input: the webhook id must be a UUID');
    expect(run.stderr).not.toContain('--webhook-id');
  });
});

describe('event names', () => {
  it('add --events with a typo: the closest event is suggested, nothing is sent', async () => {
    const run = await runCli(
      ['add', '--name', 'a', '--url', 'https://a.example/x', '--events', 'meeting.endd', ...api()],
      env,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--events\[0\] must be one of .*\(did you mean meeting\.ended\?\)$/m,
    );
    expect(kit.fake.requests).toEqual([]);
  });

  it('an ensure file with a typo gets the same hint, on its line', async () => {
    const path = await file(
      'typo.yaml',
      'webhooks:\n  - name: a\n    url: https://a.example/x\n    events: [meeting.started, recording.statusUpdat]\n',
    );
    const run = await runCli(['ensure', '--file', path, ...api()], env);
    expect(run.stderr).toMatch(
      new RegExp(
        `${path}:4: webhooks\\[0\\]\\.events\\[1\\] .*\\(did you mean recording\\.statusUpdate\\?\\)`,
      ),
    );
  });
});

describe('ensure files', () => {
  it.each([
    ['a tab used as indentation', 'webhooks:\n  - name: a\n\turl: https://a.example/x\n', 3],
    ['an entry indented one space short', 'webhooks:\n  - name: a\n   url: x\n', 3],
    [
      'a key written twice',
      'webhooks:\n  - name: a\n    url: https://a.example/x\n    name: b\n    events: [meeting.ended]\n',
      4,
    ],
  ])('%s is reported on its own line', async (_what, text, line) => {
    const path = await file('mistake.yaml', text);
    const run = await runCli(['ensure', '--file', path, ...api()], env);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toContain(`${path}:${line}: `);
  });

  it('a mapping of 100,000 keys (under 1 MiB) is checked in one pass, not once per pair of keys', async () => {
    // All distinct but one. yaml's own check compares each key with every other: 80,000 keys
    // took 52 s here, so 100,000 would take about 80 s and fail this test's 30 s limit; one
    // pass takes a few seconds.
    const keys = Array.from({ length: 100_000 }, (_, i) => `k${i.toString(36)}: 1`).join(', ');
    const text = `webhooks:\n  - name: a\n    url: https://a.example/x\n    events: [meeting.ended]\n    extra: {${keys}, z: 2, z: 3}\n`;
    expect(text.length).toBeLessThan(MAX_ENSURE_FILE_BYTES);
    const path = await file('wide.yaml', text);
    const refused = await readEnsureFile(path).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as Error).message).toContain(
      `${path}:5: the key "z" is written twice in one mapping`,
    );
  }, 30_000);

  it('one long key merged into 99 entries: every problem line is cut, the output stays small', async () => {
    const long = 'x'.repeat(200_000);
    const text = `base: &base { ${long}: 1 }\nwebhooks:\n${Array.from(
      { length: 99 },
      (_, i) =>
        `  - <<: *base\n    name: n${i}\n    url: https://a.example/x\n    events: [meeting.ended]\n`,
    ).join('')}`;
    const path = await file('long-key.yaml', text);
    const run = await runCli(['ensure', '--file', path, ...api()], env);
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(51);
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(
        'rtk-webhooks: '.length +
          MAX_PROBLEM_CHARS +
          ' ...  ... (999999 characters left out)'.length,
      );
    }
    // The start (where) and the end (what is expected) survive; the key's middle is counted.
    expect(lines[0]).toMatch(
      /long-key\.yaml:\d+: webhooks\[0\]\.x+ \.\.\. \(\d+ characters left out\) \.\.\. x+ is not a known field \(expected one of events, name, url, enabled\)$/,
    );
    expect(run.stderr.length).toBeLessThan(64 * 1024);
  });
});

describe('tables', () => {
  it('a masked URL is padded to its masked length: the table does not tell the secret length', () => {
    const short = table(
      ['URL', 'NEXT'],
      [['https://a.example/x?rtk_secret=abcdefghijklmnop', '|']],
    );
    const long = table(
      ['URL', 'NEXT'],
      [[`https://a.example/x?rtk_secret=${'s'.repeat(200)}`, '|']],
    );
    expect(short).toBe(long);
    const masked = 'https://a.example/x?rtk_secret=***';
    expect(short).toBe(`${'URL'.padEnd(masked.length)}  NEXT\n${masked}  |`);
  });

  it('--dry-run change lines are notes under their row, not cells that widen the NAME column', async () => {
    kit.fake.store.create(
      { name: 'billing', url: `https://old.example.com/${'p'.repeat(120)}`, events: [] },
      SCOPE,
    );
    const path = await file(
      'dry.yaml',
      'webhooks:\n  - name: billing\n    url: https://billing.example.com/rtk\n    events: [meeting.ended]\n',
    );
    const run = await runCli(['ensure', '--file', path, '--dry-run', ...api()], env);
    const [header, row, ...notes] = run.stdout.trimEnd().split('\n');
    expect(header).toBe('ACTION        NAME     ID');
    expect(row).toMatch(/^would update {2}billing {2}[0-9a-f-]{36}$/);
    expect(notes).toEqual([
      `    url: https://old.example.com/${'p'.repeat(120)} -> https://billing.example.com/rtk`,
      '    events:  -> meeting.ended',
    ]);
  });
});

describe('expected failures are worded, not "unexpected error"', () => {
  it('mock on a port another process holds', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const run = await runCli(['mock', '--port', String(port)], {});
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `rtk-webhooks: Port ${port} on 127.0.0.1 is held by another process, so the mock could not listen there: choose another port or leave it unset for a free one\n`,
      );
    } finally {
      holder.close();
    }
  });

  it('trigger to a receiver nobody listens on', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const run = await runCli(
      ['trigger', 'meeting.ended', '--to', `http://127.0.0.1:${port}/rtk`],
      {},
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`rtk-webhooks: could not reach http://127.0.0.1:${port}/rtk`);
    expect(run.stderr).not.toContain('unexpected error');
  });
});
