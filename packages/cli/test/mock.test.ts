// --mock: the embedded Prism mock of the spec, started and stopped by the command.
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('--mock', () => {
  it('lists the spec example webhooks without any credentials', async () => {
    const run = await runCli(['list', '--mock', '--json'], {});
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout).map((w: { name: string }) => w.name)).toEqual([
      'All events webhook',
      'Recordings',
    ]);
  });

  it('refuses bad input with exit 2, naming the flag', async () => {
    const run = await runCli(
      ['--mock', 'add', '--name', 'x', '--url', 'https://x.example', '--events', 'nope'],
      {},
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--events\[0\] must be one of/);
  });
});
