import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { startMockServer } from '@realtimekit-webhooks/mock';
import { describe, expect, it } from 'vitest';
import { isAlive } from './processes.js';

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const collection = '/accounts/acc/realtime/kit/app/webhooks';
const validBody = JSON.stringify({
  name: 'n',
  url: 'https://a.example/x',
  events: ['meeting.started'],
});

describe('startMockServer', () => {
  it('serves the spec on loopback and leaves no process or port behind, many times over', async () => {
    for (let round = 0; round < 4; round += 1) {
      const server = await startMockServer();
      const { port, hostname } = new URL(server.baseUrl);
      expect(hostname).toBe('127.0.0.1');

      const response = await fetch(`${server.baseUrl}${collection}`, {
        method: 'POST',
        headers: { authorization: 'Bearer throwaway', 'content-type': 'application/json' },
        body: validBody,
      });
      expect(response.status).toBe(201);
      expect(((await response.json()) as { success: boolean }).success).toBe(true);

      await server.stop();
      await server.stop(); // a second stop is harmless
      expect(isAlive(server.pid)).toBe(false);
      expect(await portIsFree(Number(port))).toBe(true);
    }
  });

  it('runs several servers side by side on different ports', async () => {
    const servers = await Promise.all([startMockServer(), startMockServer()]);
    expect(new Set(servers.map((s) => s.baseUrl)).size).toBe(2);
    await Promise.all(servers.map((s) => s.stop()));
    expect(servers.every((s) => !isAlive(s.pid))).toBe(true);
  });

  it('generates bodies from the schemas in dynamic mode, the same on every start', async () => {
    const bodies: unknown[] = [];
    for (let round = 0; round < 2; round += 1) {
      const server = await startMockServer({ mode: 'examples', dynamic: true });
      try {
        const response = await fetch(`${server.baseUrl}${collection}`, {
          method: 'POST',
          headers: { authorization: 'Bearer throwaway', 'content-type': 'application/json' },
          body: validBody,
        });
        expect(response.status).toBe(201);
        bodies.push(await response.json());
      } finally {
        await server.stop();
      }
    }
    const [first] = bodies as { data: { id: string; name: string } }[];
    // Not the spec's static example, but a schema-shaped body (a uuid id), seeded.
    expect(first?.data.id).not.toBe('0d1f069d-43bb-489a-ad8c-7eb95592ba8e');
    expect(first?.data.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    );
    expect(bodies[1]).toEqual(bodies[0]);
  });

  it('reports why Prism could not start instead of hanging', async () => {
    await expect(startMockServer({ specPath: 'does-not-exist.yaml' })).rejects.toThrow(
      /Prism exited before it was ready[\s\S]*does-not-exist\.yaml/,
    );
  });
});

describe('a process that dies without calling stop()', () => {
  it.each(['exit', 'SIGTERM'] as const)('takes its Prism along (%s)', async (how) => {
    const script = `
      import { startMockServer } from '@realtimekit-webhooks/mock';
      const server = await startMockServer();
      console.log(server.pid);
      process.stdin.once('data', () => process.exit(0));
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const prismPid = await new Promise<number>((resolve) =>
      child.stdout.once('data', (d) => resolve(Number(String(d).trim()))),
    );
    expect(isAlive(prismPid)).toBe(true);
    if (how === 'SIGTERM') child.kill('SIGTERM');
    else child.stdin.write('exit\n');
    await new Promise((resolve) => child.once('exit', resolve));
    // Give the OS a moment to reap the killed process.
    for (let i = 0; i < 50 && isAlive(prismPid); i += 1)
      await new Promise((r) => setTimeout(r, 20));
    expect(isAlive(prismPid)).toBe(false);
  });
});
