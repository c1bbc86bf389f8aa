// Two replicas of the service with REDIS_URL set share de-duplication: a delivery handled by one
// is acknowledged, not handled again, when its retry reaches the other. Needs redis-server
// (installed by .ci/run; skipped elsewhere when absent, failing in CI).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { findFreePort, type StatefulMockServer, startMockServer } from '@realtimekit-webhooks/mock';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { type RunningService, startService } from '../src/service.js';
import { serviceEnv } from './service-env.js';

const installed = spawnSync('redis-server', ['--version']).status === 0;
if (!installed && process.env.CI)
  throw new Error('redis-server is not installed (.ci/run installs it)');

let mock: StatefulMockServer;
let redisServer: ChildProcess;
let redisUrl: string;
const services: RunningService[] = [];

beforeAll(async () => {
  if (!installed) return;
  mock = await startMockServer();
  const port = await findFreePort();
  redisUrl = `redis://127.0.0.1:${port}`;
  redisServer = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', ''],
    {
      stdio: 'ignore',
    },
  );
  // Ready when it answers a PING.
  for (let attempt = 0; ; attempt += 1) {
    const probe = createClient({ url: redisUrl, socket: { reconnectStrategy: false } });
    probe.on('error', () => {});
    const answer = await probe
      .connect()
      .then(() => probe.ping())
      .catch(() => 'not yet');
    if (probe.isOpen) probe.destroy();
    if (answer === 'PONG') break;
    if (attempt > 200) throw new Error('redis-server did not answer');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await mock?.stop();
  redisServer?.kill('SIGTERM');
});

describe.skipIf(!installed)('two replicas with REDIS_URL', () => {
  it('handle a delivery once between them, whichever gets the retry', async () => {
    const env = serviceEnv(mock, { REDIS_URL: redisUrl });
    const [a, b] = await Promise.all([
      startService(readConfig(env), env),
      startService(readConfig(env), env),
    ]);
    services.push(a, b);
    expect((await mock.deliver('meeting.ended', { to: `${a.url}/rtk`, id: 'r-1' })).status).toBe(
      204,
    );
    expect((await mock.deliver('meeting.ended', { to: `${b.url}/rtk`, id: 'r-1' })).status).toBe(
      204,
    );
    expect([...a.handled, ...b.handled].map((d) => d.id)).toEqual(['r-1']);
  });
});
