// A service that, on start, makes sure its webhook exists (once, however many replicas start) and
// then receives the deliveries on POST /rtk: each one is claimed in Redis (shared by every
// replica), handled inline, and marked done only once the handler succeeded.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRealtimeKitClient, type EnsureResult } from '@realtimekit-webhooks/client';
import { createWebhookReceiver, type Delivery } from '@realtimekit-webhooks/receiver';
import { nodeHandler } from '@realtimekit-webhooks/receiver/node';
import { redisSeenStore } from '@realtimekit-webhooks/receiver/redis';
import { createClient } from 'redis';
import type { ServiceConfig } from './config.js';

export interface RunningService {
  url: string;
  registration: EnsureResult;
  /** Deliveries handled so far (a real service would act on them instead). */
  handled: Delivery[];
  stop(): Promise<void>;
}

export async function startService(
  config: ServiceConfig,
  env: Record<string, string | undefined>,
): Promise<RunningService> {
  const rtk = createRealtimeKitClient({
    apiToken: env.CLOUDFLARE_API_TOKEN,
    accountId: env.CLOUDFLARE_ACCOUNT_ID,
    appId: env.REALTIMEKIT_APP_ID,
    baseUrl: config.apiBaseUrl,
  });
  const registration = await rtk.webhooks.ensure({
    name: config.webhookName,
    url: `${config.publicUrl}/rtk`,
    events: ['meeting.started', 'meeting.ended', 'recording.statusUpdate'],
  });

  // With REDIS_URL, every replica shares one record of handled deliveries (a retry may reach any).
  const redis = config.redisUrl ? createClient({ url: config.redisUrl }) : undefined;
  redis?.on('error', (error: Error) => console.error(`redis: ${error.message}`));
  await redis?.connect();
  const receiver = createWebhookReceiver({
    ...(config.publicKey ? { publicKey: config.publicKey } : { keyUrl: config.keyUrl }),
    ...(redis ? { seen: redisSeenStore(redis, { namespace: config.webhookName }) } : {}),
  });
  const handled: Delivery[] = [];
  // Inline: RealtimeKit gets its 2xx once this resolves; a throw answers 500 and it retries.
  const onDelivery = nodeHandler(receiver, {
    'meeting.ended': (delivery) => {
      console.log(`meeting ${delivery.payload.meeting.id} ended (${delivery.payload.reason})`);
      handled.push(delivery);
    },
    fallback: (delivery) => void handled.push(delivery),
  });
  const server = createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/rtk')
      return void response.writeHead(404).end();
    onDelivery(request, response).catch(() => response.writeHead(500).end());
  });
  server.listen(config.port, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    registration,
    handled,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis?.destroy();
    },
  };
}
