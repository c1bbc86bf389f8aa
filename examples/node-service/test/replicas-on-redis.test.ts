// Two replicas of the service with REDIS_URL set share de-duplication: a delivery handled by one
// is acknowledged, not handled again, when its retry reaches the other. Needs redis-server
// (installed by .ci/run; skipped elsewhere when absent, failing in CI).
import { type StatefulMockServer, startMockServer } from '@realtimekit-webhooks/mock';
import {
  type RedisServer,
  redisServerForTests,
  startRedisServer,
} from '@realtimekit-webhooks/test-servers/redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { type RunningService, startService } from '../src/service.js';
import { serviceEnv } from './service-env.js';

const installed = redisServerForTests('sharing de-duplication between replicas');

let mock: StatefulMockServer;
let redis: RedisServer;
const services: RunningService[] = [];

beforeAll(async () => {
  if (!installed) return;
  [mock, redis] = await Promise.all([startMockServer(), startRedisServer()]);
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await Promise.all([mock?.stop(), redis?.stop()]);
});

describe.skipIf(!installed)('two replicas with REDIS_URL', () => {
  it('handle a delivery once between them, whichever gets the retry', async () => {
    const env = serviceEnv(mock, { REDIS_URL: redis.url });
    const [a, b] = await Promise.all([
      startService(readConfig(env), env),
      startService(readConfig(env), env),
    ]);
    services.push(a, b);
    expect((await mock.deliver('meeting.ended', { to: `${a.url}/rtk`, id: 'r-1' })).status).toBe(
      200,
    );
    expect((await mock.deliver('meeting.ended', { to: `${b.url}/rtk`, id: 'r-1' })).status).toBe(
      200,
    );
    expect([...a.handled, ...b.handled].map((d) => d.id)).toEqual(['r-1']);
  });
});
