// The mock where the machine is not friendly: a port someone else holds, a host that would expose
// it, a parent killed without warning.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMockServer, startValidatingProxy } from '@realtimekit-webhooks/mock';
import { describe, expect, it } from 'vitest';
import { isAlive, waitUntilGone } from './processes.js';

describe('host forms', () => {
  it.each([
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['127.0.0.1.example.com', false],
    ['localhost', true],
    ['::1', true],
    ['127.0.0.2', true],
  ])('%s is allowed: %s', async (host, allowed) => {
    const start = startMockServer({ host });
    if (!allowed) {
      await expect(start).rejects.toThrow(/host must be a loopback address/);
      await expect(startValidatingProxy({ upstream: 'http://127.0.0.1:1', host })).rejects.toThrow(
        /host must be a loopback address/,
      );
      return;
    }
    const server = await start;
    try {
      const response = await fetch(`${server.baseUrl}/accounts/a/realtime/kit/b/webhooks`, {
        headers: { authorization: 'Bearer throwaway' },
      });
      expect(response.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe('a port held by another process', () => {
  it.each(['stateful', 'examples'] as const)(
    'is a clear error in %s mode, and the other process gets no request meant for the mock',
    async (mode) => {
      let requestsToOther = 0;
      const other = createServer((_request, response) => {
        requestsToOther += 1;
        response.end('not prism');
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      const port = (other.address() as AddressInfo).port;
      try {
        await expect(
          startMockServer({ port, mode } as { port: number; mode: 'examples' }),
        ).rejects.toThrow(`Port ${port} on 127.0.0.1 is held by another process`);
        expect(requestsToOther).toBe(0);
      } finally {
        other.close();
      }
    },
  );
});

describe('a control port held by another process', () => {
  it('is the same clear error, and no Prism or server is left running', async () => {
    const other = createServer((_request, response) => response.end('not the mock'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    try {
      await expect(startMockServer({ controlPort: port })).rejects.toThrow(
        `Port ${port} on 127.0.0.1 is held by another process`,
      );
    } finally {
      other.close();
    }
  });
});

describe('a parent killed without warning', () => {
  it('SIGKILL of the process that started Prism takes Prism along', async () => {
    const script = `
      import { startMockServer } from '@realtimekit-webhooks/mock';
      const server = await startMockServer();
      console.log(server.pid);
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const prismPid = await new Promise<number>((resolve) =>
      parent.stdout.once('data', (d) => resolve(Number(String(d).trim()))),
    );
    expect(isAlive(prismPid)).toBe(true);
    parent.kill('SIGKILL'); // no exit hook runs
    await new Promise((resolve) => parent.once('exit', resolve));
    expect(await waitUntilGone(prismPid, 5_000)).toBe(true);
  });
});
