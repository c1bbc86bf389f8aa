// The Quick start's main job: start the Prism mock of the spec, add a webhook through the built
// client, print it, stop the mock. Uses throwaway credentials: the mock checks only their shape.
import { createRealtimeKitClient } from '@realtimekit-webhooks/client';
import { startMockServer } from '@realtimekit-webhooks/mock';

const mock = await startMockServer();
try {
  console.log(`Prism mock of spec/realtimekit-webhooks.yaml listening on ${mock.baseUrl}`);
  const rtk = createRealtimeKitClient({
    apiToken: 'demo-token-not-a-secret',
    accountId: 'demo-account',
    appId: 'demo-app',
    baseUrl: mock.baseUrl,
  });
  const webhook = await rtk.webhooks.create({
    name: 'All events webhook',
    url: 'https://billing.example.com/rtk',
    events: ['meeting.started', 'meeting.ended'],
  });
  console.log('Created webhook:');
  console.log(JSON.stringify(webhook, null, 2));
} finally {
  await mock.stop();
  console.log('Mock stopped.');
}
