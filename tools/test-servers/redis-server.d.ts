/** A running redis-server on loopback. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Starts it again on the same port (after `stop()`). */
  start(): Promise<void>;
  /** Stops it (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}
/** True when `redis-server` can be run on this machine. */
export function redisServerInstalled(): boolean;
/** Whether tests of `what` can run: throws in CI when redis-server is missing, else warns. */
export function redisServerForTests(what: string): boolean;
/** Starts redis-server on a free loopback port; `stop()` then `start()` simulates an outage. */
export function startRedisServer(): Promise<RedisServer>;
