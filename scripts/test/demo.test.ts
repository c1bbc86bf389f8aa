// README command 1 ends with `pnpm demo`: the whole flow must hold, step by step.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../lib/workspace.mjs';

describe('pnpm demo --json', () => {
  it('creates from the file, lists it, verifies a typed delivery, then changes nothing', async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [join(root, 'scripts/demo.mjs'), '--json'],
        { timeout: 120_000 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    const steps = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(steps.map((s) => s.step)).toEqual([
      'mock',
      'ensure',
      'list',
      'delivery',
      'ensure-again',
      'stopped',
    ]);
    const [, ensure, list, delivery, again] = steps;
    expect(ensure.result).toEqual([
      expect.objectContaining({ name: 'billing-prod', action: 'created' }),
    ]);
    expect(list.result).toEqual([
      expect.objectContaining({
        name: 'billing-prod',
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/rtk$/),
      }),
    ]);
    expect(delivery.delivery).toMatchObject({ event: 'meeting.ended', reason: expect.any(String) });
    expect(again.result).toEqual([
      expect.objectContaining({
        name: 'billing-prod',
        action: 'unchanged',
        id: ensure.result[0].id,
      }),
    ]);
  });
});
