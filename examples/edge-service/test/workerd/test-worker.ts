// The example Worker as its tests run it in workerd: the slow work records what it did in a KV
// namespace the test reads, and a delivery's payload can ask for planned failures
// (`edgeTest: { failSends, failProcessing }`: how many queue sends, or processing attempts, fail).
import { createWebhookReceiver } from '@realtimekit-webhooks/receiver';
import {
  createTestSigner,
  deliveryBody,
  examplePayload,
} from '@realtimekit-webhooks/receiver/testing';
import {
  createWorker,
  type Env,
  type MessageBatchLike,
  type QueuedDelivery,
} from '../../src/worker.js';

export { SeenDeliveriesObject } from '../../src/worker.js';

interface KvLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
}

interface TestEnv extends Env {
  RECORD: KvLike;
}

type Plan = { failSends?: number; failProcessing?: number };
const planOf = (delivery: QueuedDelivery): Plan =>
  ((delivery.payload as { edgeTest?: Plan }).edgeTest ?? {}) as Plan;

/** Counts one more of `what` for the delivery, in KV (shared by every isolate). */
async function count(env: TestEnv, what: string, id: string): Promise<number> {
  const key = `${what}:${id}`;
  const next = Number((await env.RECORD.get(key)) ?? 0) + 1;
  await env.RECORD.put(key, String(next));
  return next;
}

const worker = createWorker(async (delivery, env) => {
  const attempt = await count(env as TestEnv, 'processing', delivery.id);
  if (attempt <= (planOf(delivery).failProcessing ?? 0)) throw new Error('the slow work failed');
  await count(env as TestEnv, 'processed', delivery.id);
});

export default {
  async fetch(request: Request, env: TestEnv): Promise<Response> {
    if (new URL(request.url).pathname === '/kit-self-test') return kitSelfTest();
    // A queue whose first sends of a delivery fail as planned.
    const flaky = {
      async send(delivery: QueuedDelivery) {
        const attempt = await count(env, 'sends', delivery.id);
        if (attempt <= (planOf(delivery).failSends ?? 0)) throw new Error('queue unavailable');
        await env.DELIVERIES.send(delivery);
      },
    };
    return worker.fetch(request, { ...env, DELIVERIES: flaky });
  },
  async queue(batch: MessageBatchLike<QueuedDelivery>, env: TestEnv): Promise<void> {
    if (batch.queue !== 'rtk-deliveries-dlq') return worker.queue(batch, env);
    for (const message of batch.messages) {
      await count(env, 'dead-lettered', message.body.id);
      message.ack();
    }
  },
};

/** The testing kit inside workerd: a new event, signed here, handled by a receiver here. */
async function kitSelfTest(): Promise<Response> {
  const signer = await createTestSigner();
  const payload = examplePayload('meeting.ended');
  const body = deliveryBody('meeting.ended', { payload });
  const receiver = createWebhookReceiver({ publicKey: signer.publicKey });
  const result = await receiver.handleRaw(body, await signer.sign(body), () => {});
  const fresh = payload.meeting.id !== examplePayload('meeting.ended').meeting.id;
  return Response.json({ status: result.status, body: result.body, fresh });
}
