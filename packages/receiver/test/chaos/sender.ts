// The sending side of the chaos tests: signed deliveries of their own, and a sender that retries
// the way RealtimeKit documents (a 2xx is delivered; a 5xx or a network error is retried with
// backoff; any other status fails for good), each attempt to a replica picked at random.
import { deliveryHeaders, exampleFor, type makeSigner } from '../helpers.js';
import type { Replica } from './replicas.js';

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const pick = <T>(items: readonly T[]) =>
  items[Math.floor(Math.random() * items.length)] as T;

export interface Signed {
  id: string;
  body: string;
  headers: Record<string, string>;
}

/** A delivery of its own (its own body, so its own replay key), with `chaos` telling the handler. */
export async function signed(
  signer: Awaited<ReturnType<typeof makeSigner>>,
  id: string,
  chaos?: { holdMs?: number; failOn?: string },
): Promise<Signed> {
  const example = exampleFor('meeting.ended') as { meeting: Record<string, unknown> };
  const body = JSON.stringify({ ...example, meeting: { ...example.meeting, id }, chaos });
  return { id, body, headers: deliveryHeaders(await signer.sign(body), id) };
}

/** One attempt: the status, or 'network' when no answer came. */
export async function attempt(replica: Replica, delivery: Signed): Promise<number | 'network'> {
  try {
    const response = await fetch(replica.url, {
      method: 'POST',
      body: delivery.body,
      headers: delivery.headers,
      signal: AbortSignal.timeout(5_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 'network';
  }
}

/**
 * Sends `delivery` as RealtimeKit documents it: to a replica the load balancer picks, retried with
 * backoff on a 5xx or a network error, failed for good on any other non-2xx.
 */
export async function sendLikeRealtimeKit(replicas: readonly Replica[], delivery: Signed) {
  for (let tries = 0; tries < 200; tries += 1) {
    const status = await attempt(pick(replicas), delivery);
    if (status !== 'network' && status >= 200 && status < 300) return { delivered: true, tries };
    if (status !== 'network' && status < 500) return { delivered: false, status, tries };
    await pause(Math.min(800, 20 * 2 ** Math.min(tries, 6)) * (0.5 + Math.random()));
  }
  return { delivered: false, status: 'gave up', tries: 200 };
}

/**
 * Sends every delivery with eight senders at once while a replica picked at random is SIGKILLed
 * (and restarted on its port) every `killEvery` deliveries acknowledged; one in five acknowledged
 * deliveries is sent again (its 2xx was lost on the way back). Returns the pids killed, the
 * outcomes and how many were sent again.
 */
export async function sendThroughKills(
  replicas: readonly Replica[],
  deliveries: readonly Signed[],
  killEvery: number,
) {
  const killed = new Set<number>();
  let kills: Promise<void> = Promise.resolve();
  const killOne = async () => {
    await pause(Math.random() * 50);
    const victim = pick(replicas);
    killed.add(victim.pid);
    await victim.kill();
    await victim.restart();
  };
  const queue = [...deliveries];
  const outcomes = new Map<string, { delivered: boolean; status?: number | string }>();
  let resentAfterSuccess = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const outcome = await sendLikeRealtimeKit(replicas, next);
        outcomes.set(next.id, outcome);
        if (outcomes.size % killEvery === 0) kills = kills.then(killOne);
        if (outcome.delivered && Math.random() < 0.2) {
          resentAfterSuccess += 1;
          outcomes.set(next.id, await sendLikeRealtimeKit(replicas, next));
        }
      }
    }),
  );
  await kills;
  return { killed, outcomes, resentAfterSuccess };
}
