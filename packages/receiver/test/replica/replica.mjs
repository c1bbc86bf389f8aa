// One replica of a receiving service, as its own process: verifies deliveries with the key it is
// given, de-duplicates on the shared Redis, and reports which deliveries it handled.
import { createServer } from 'node:http';
import { createClient } from 'redis';
import { createWebhookReceiver } from '../../dist/index.js';
import { verifyNodeRequest } from '../../dist/node.js';
import { redisSeenStore } from '../../dist/redis.js';

const { redisUrl, publicKey } = JSON.parse(process.argv[2]);
const redis = createClient({ url: redisUrl });
redis.on('error', () => {}); // outages are answered per delivery (503), not by crashing
await redis.connect();
const receiver = createWebhookReceiver({
  publicKey,
  seen: redisSeenStore(redis, { namespace: 'replica-tests' }),
});
const handled = [];
const server = createServer(async (request, response) => {
  if (request.method === 'GET') return response.end(JSON.stringify(handled));
  try {
    const delivery = await verifyNodeRequest(receiver, request);
    if (!delivery.duplicate) handled.push(delivery.id);
    response.writeHead(204).end();
  } catch (error) {
    response.writeHead(error.status ?? 500).end(error.reason ?? error.message);
  }
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.stdin.on('end', () => process.exit(0)).resume();
