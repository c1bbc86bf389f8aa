// One replica of a receiving service, as its own process, for the chaos tests: `nodeHandler` on a
// shared Redis, or on an inbox in a shared PostgreSQL. Its handler's side effect survives a
// SIGKILL: a line appended to a file outside the process (Redis), or a row written in the inbox's
// transaction (PostgreSQL), with a `start` line in the file for each run. A delivery's payload may
// carry `chaos: { holdMs, failOn }`.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWebhookReceiver } from '../../dist/index.js';
import { nodeHandler } from '../../dist/node.js';

const { name, redisUrl, postgresUrl, publicKey, port, leaseMs, effectsFile } = JSON.parse(
  process.argv[2],
);
const record = (id, what) => appendFileSync(effectsFile, `${id} ${name} ${process.pid} ${what}\n`);

async function store() {
  if (postgresUrl) {
    const { default: pg } = await import('pg');
    const { postgresInbox } = await import('../../dist/postgres.js');
    const pool = new pg.Pool({ connectionString: postgresUrl, max: 8 });
    pool.on('error', () => {}); // a dropped connection fails its delivery (503), not the process
    return postgresInbox(pool, { namespace: 'chaos' });
  }
  const { createClient } = await import('redis');
  const { redisSeenStore } = await import('../../dist/redis.js');
  const redis = createClient({ url: redisUrl });
  redis.on('error', () => {}); // outages are answered per delivery (503), not by crashing
  await redis.connect();
  return redisSeenStore(redis, { namespace: 'chaos' });
}

const receiver = createWebhookReceiver({
  publicKey,
  seen: await store(),
  leaseMs,
  onError: () => {}, // the test expects the failures it plans
});

const server = createServer(
  nodeHandler(receiver, async (delivery, tx) => {
    const plan = delivery.payload.chaos ?? {};
    record(delivery.id, 'start');
    await sleep(plan.holdMs ?? Math.random() * 50);
    if (plan.failOn === name) throw new Error(`${name} fails as planned`);
    if (tx) {
      await tx.query('INSERT INTO effects (delivery_id, replica, pid) VALUES ($1, $2, $3)', [
        delivery.id,
        name,
        process.pid,
      ]);
    } else {
      record(delivery.id, 'effect');
    }
    // Time between the side effect and "done": a kill here makes the retry run it again (Redis);
    // with the inbox the effect is not committed yet, so it rolls back with the kill.
    await sleep(Math.random() * 50);
  }),
);
server.listen(port, '127.0.0.1', () =>
  console.log(JSON.stringify({ port: server.address().port })),
);
// The test holds stdin open; when it ends (the test process died), so does the replica.
process.stdin.on('end', () => process.exit(0)).resume();
