// One replica of a receiving service, as its own process, for the chaos tests: `nodeHandler` on a
// shared Redis. Its handler's side effect is a line appended to a file outside the process, so
// what it did survives a SIGKILL. A delivery's payload may carry `chaos: { holdMs, failOn }`.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { createWebhookReceiver } from '../../dist/index.js';
import { nodeHandler } from '../../dist/node.js';
import { redisSeenStore } from '../../dist/redis.js';

const { name, redisUrl, publicKey, port, leaseMs, effectsFile } = JSON.parse(process.argv[2]);
const redis = createClient({ url: redisUrl });
redis.on('error', () => {}); // outages are answered per delivery (503), not by crashing
await redis.connect();
const receiver = createWebhookReceiver({
  publicKey,
  seen: redisSeenStore(redis, { namespace: 'chaos' }),
  leaseMs,
  onError: () => {}, // the test expects the failures it plans
});
const record = (id, what) => appendFileSync(effectsFile, `${id} ${name} ${process.pid} ${what}\n`);

const server = createServer(
  nodeHandler(receiver, async (delivery) => {
    const plan = delivery.payload.chaos ?? {};
    record(delivery.id, 'start');
    await sleep(plan.holdMs ?? Math.random() * 50);
    if (plan.failOn === name) throw new Error(`${name} fails as planned`);
    record(delivery.id, 'effect');
    // Time between the side effect and "done": a kill here makes the retry run it again.
    await sleep(Math.random() * 50);
  }),
);
server.listen(port, '127.0.0.1', () =>
  console.log(JSON.stringify({ port: server.address().port })),
);
// The test holds stdin open; when it ends (the test process died), so does the replica.
process.stdin.on('end', () => process.exit(0)).resume();
