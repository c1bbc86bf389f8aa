/**
 * A SeenStore on Redis, shared by every replica: each step (claim, renew, complete, release) is
 * one server-side script over both of a delivery's keys, so it is atomic and one round trip
 * (EVALSHA; EVAL once when the server does not have the script yet).
 *
 *   import { createClient } from 'redis';
 *   import { redisSeenStore } from '@realtimekit-webhooks/receiver/redis';
 *   const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 *   const receiver = createWebhookReceiver({ seen: redisSeenStore(redis, { namespace: 'billing' }) });
 *
 * Built for node-redis (`redis` 4.6 or later, a peer dependency): the client Redis maintains, with
 * clusters, sentinels and TLS configured on the client you pass. Keys are
 * `rtk-webhooks:{<namespace>}:...`: the namespace is a hash tag, so a delivery's two keys share a
 * cluster slot. Nothing is imported from node-redis here: the receiver's main entry stays free of
 * Node and Redis.
 *
 * @packageDocumentation
 */
import { CLAIMED, type ClaimResult, type CompleteResult, DONE } from './claim-state.js';
import type { SeenStore } from './seen-store.js';

/** What this store needs of a Redis client: node-redis clients and cluster clients have it. */
export interface RedisClientLike {
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** node-redis's connection state: when false, nothing is sent (see `redisSeenStore`). */
  readonly isReady?: boolean;
  /** `INFO <section>`: read once, to check the server's `maxmemory_policy`. */
  info?(section?: string): Promise<string>;
}

/** Options of `redisSeenStore`. */
export interface RedisSeenStoreOptions {
  /**
   * The receiving service's name, the same in all its replicas, different from every other
   * service on this Redis. Required: RealtimeKit sends the same signed body to every webhook of
   * an event, so two services sharing keys would each take the other's deliveries for duplicates
   * and drop them. Letters, digits, `.`, `_`, `-`; at most 64.
   */
  namespace: string;
  /**
   * The longest a command may take, in milliseconds. A client waiting for a lost connection
   * queues commands; past this the delivery is refused with 503 instead of hanging. Default: 2000.
   */
  timeoutMs?: number | undefined;
  /**
   * Use a server whose `maxmemory-policy` evicts keys (anything but `noeviction`). Off by
   * default: under memory pressure such a server drops claims and done marks, and deliveries run
   * twice. Turn it on only for a server that can never reach its `maxmemory`, and say why where
   * you do.
   */
  allowEvictingPolicy?: boolean | undefined;
}

/** How long a refused policy is kept before the server is asked again (it may have been fixed). */
const POLICY_RECHECK_MS = 60_000;

/**
 * The server's eviction policy, or undefined when it cannot be read (a proxy or managed service
 * that hides INFO: nothing to check, the documentation says what it must be).
 */
async function evictionPolicy(client: RedisClientLike): Promise<string | undefined> {
  if (typeof client.info !== 'function') return undefined;
  const text = await client.info('memory');
  return /^maxmemory_policy:(\S+)/m.exec(text)?.[1];
}

/**
 * Every step, chosen by ARGV[1]. A key holds `c:<token>` while claimed (expiring with the lease)
 * and `d:<token>` once done (expiring after the time to live).
 */
const SEEN_SCRIPT = `
local op, token, ms = ARGV[1], ARGV[2], ARGV[3]
if op == 'claim' then
  local busy = -1
  for _, key in ipairs(KEYS) do
    local v = redis.call('GET', key)
    if v then
      if string.sub(v, 1, 2) == 'd:' then return 'done' end
      busy = math.max(busy, redis.call('PTTL', key))
    end
  end
  if busy >= 0 then return busy end
  for _, key in ipairs(KEYS) do redis.call('SET', key, 'c:' .. token, 'PX', ms) end
  return 'claimed'
elseif op == 'renew' then
  for _, key in ipairs(KEYS) do
    if redis.call('GET', key) ~= 'c:' .. token then return 0 end
  end
  for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ms) end
  return 1
elseif op == 'complete' then
  local held, done = false, false
  for _, key in ipairs(KEYS) do
    local v = redis.call('GET', key)
    if v then
      if string.sub(v, 3) == token then held = true
      elseif string.sub(v, 1, 2) == 'd:' then done = true
      else return 'taken' end
    end
  end
  if done and not held then return 'done' end
  for _, key in ipairs(KEYS) do redis.call('SET', key, 'd:' .. token, 'PX', ms) end
  return 'completed'
elseif op == 'release' then
  for _, key in ipairs(KEYS) do
    local v = redis.call('GET', key)
    if v and (token == '' or string.sub(v, 3) == token) then redis.call('DEL', key) end
  end
  return 1
end
return redis.error_reply('unknown step ' .. tostring(op))
`;

function withTimeout<T>(command: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis did not answer ${what} within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
}

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A SeenStore on `client` (see the module comment). */
export function redisSeenStore(client: RedisClientLike, options: RedisSeenStoreOptions): SeenStore {
  const namespace = (options as Partial<RedisSeenStoreOptions> | undefined)?.namespace;
  if (typeof namespace !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(namespace)) {
    throw new TypeError(
      "redisSeenStore needs { namespace: '<this service>' } (letters, digits, . _ -; at most 64), the same in every replica and different from other services on this Redis: services that share keys drop each other's deliveries as duplicates",
    );
  }
  const prefix = `rtk-webhooks:{${namespace}}:`;
  const timeoutMs = options.timeoutMs ?? 2_000;
  let sha: Promise<string> | undefined;
  // Checked once before the first step; a refusal is asked again after a minute (once fixed,
  // the next deliveries go through without a restart). The receiver logs it once, with the fix.
  let policyChecked: Promise<void> | undefined;
  let policyCheckedAt = 0;
  const checkPolicy = () => {
    if (options.allowEvictingPolicy) return Promise.resolve();
    if (policyChecked && Date.now() - policyCheckedAt < POLICY_RECHECK_MS) return policyChecked;
    policyCheckedAt = Date.now();
    policyChecked = withTimeout(evictionPolicy(client), timeoutMs, 'INFO memory').then(
      (policy) => {
        if (policy === undefined || policy === 'noeviction') return;
        const message = `Redis's maxmemory-policy is ${policy}: under memory pressure it evicts claims and done marks, and deliveries run twice. Set it to noeviction (CONFIG SET maxmemory-policy noeviction, or your provider's parameter group), or pass allowEvictingPolicy: true to redisSeenStore if this server can never fill up`;
        throw new Error(message);
      },
      (error: unknown) => {
        policyChecked = undefined; // not an answer about the policy: ask again next time
        throw error;
      },
    );
    return policyChecked;
  };

  const run = async (
    op: 'claim' | 'renew' | 'complete' | 'release',
    keys: readonly string[],
    token: string,
    ms: number,
  ): Promise<unknown> => {
    // A disconnected client would queue the command and run it on reconnection, long after this
    // delivery was answered: a queued claim would hold the retry off for a lease.
    if (client.isReady === false) throw new Error('Redis is not connected');
    await checkPolicy();
    sha ??= sha1Hex(SEEN_SCRIPT);
    const call = {
      keys: keys.map((key) => prefix + key),
      arguments: [op, token, String(ms)],
    };
    const command = client.evalSha(await sha, call).catch((error: unknown) => {
      // The server lost its script cache (a restart, SCRIPT FLUSH): send the script itself once.
      if (String((error as Error)?.message).startsWith('NOSCRIPT')) {
        return client.eval(SEEN_SCRIPT, call);
      }
      throw error;
    });
    try {
      return await withTimeout(command, timeoutMs, op);
    } catch (error) {
      // Answered 503, but a claim or mark still in flight (queued while the connection was lost,
      // or stalled) may land later: take it back then, by its token, so the retry is neither held
      // off nor taken for a duplicate. A late renewal is left alone: its claim is still in use.
      if (op === 'claim' || op === 'complete') {
        command.then(() => run('release', keys, token, 0)).catch(() => {});
      }
      throw error;
    }
  };

  return {
    async claim(keys, token, leaseMs): Promise<ClaimResult> {
      const reply = await run('claim', keys, token, leaseMs);
      if (typeof reply === 'number') return { state: 'busy', retryAfterMs: reply };
      return reply === 'done' ? DONE : CLAIMED;
    },
    async renew(keys, token, leaseMs) {
      return (await run('renew', keys, token, leaseMs)) === 1;
    },
    async complete(keys, token, ttlMs) {
      return (await run('complete', keys, token, ttlMs)) as CompleteResult;
    },
    async release(keys, token) {
      await run('release', keys, token ?? '', 0);
    },
  };
}
