// The same smoke test in every runtime: create and list webhooks against a loopback fake of the
// API with the packed client, and verify a signed delivery with the packed receiver.
import { createRealtimeKitClient } from '@realtimekit-webhooks/client';
import { createWebhookReceiver } from '@realtimekit-webhooks/receiver';

export async function smoke({ baseUrl, name, publicKey, body, signature }) {
  const rtk = createRealtimeKitClient({
    apiToken: 'matrix-token',
    accountId: 'acc',
    appId: 'app',
    baseUrl,
  });
  const created = await rtk.webhooks.create({
    name,
    url: 'https://matrix.example/rtk',
    events: ['meeting.started'],
  });
  const listed = (await rtk.webhooks.list()).filter((w) => w.name === name).length;
  const receiver = createWebhookReceiver({ publicKey });
  const headers = {
    'rtk-signature': signature,
    'rtk-uuid': `u-${name}`,
    'rtk-webhook-id': created.id,
  };
  const delivery = await receiver.verifyRaw(body, headers);
  return { created: created.id, listed, event: delivery.event };
}
