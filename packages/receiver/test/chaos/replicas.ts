// Replica processes for the chaos tests: started, killed, frozen and resumed by pid, and the side
// effects their handlers wrote to a file outside them.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./handling-replica.mjs', import.meta.url));

export interface ReplicaConfig {
  /** Claims on this Redis (at least once: a kill between effect and "done" repeats it). */
  redisUrl?: string;
  /**
   * Or an inbox on this PostgreSQL: the handler's effect is a row written in the transaction the
   * inbox gives it (exactly once).
   */
  postgresUrl?: string;
  publicKey: string;
  leaseMs: number;
  effectsFile: string;
}

export interface Replica {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after `kill`). */
  restart(): Promise<void>;
  freeze(): void;
  resume(): void;
  /** Ends it the polite way (its stdin closes). */
  stop(): Promise<void>;
}

async function spawnReplica(name: string, port: number, config: ReplicaConfig) {
  const child = spawn(process.execPath, [script, JSON.stringify({ name, port, ...config })], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const started = await Promise.race([
    new Promise<{ port: number }>((resolve) =>
      child.stdout?.once('data', (chunk: Buffer) => resolve(JSON.parse(String(chunk)))),
    ),
    exited.then(() => {
      throw new Error(`replica ${name} exited before listening`);
    }),
  ]);
  return { child, port: started.port, exited };
}

export async function startReplica(name: string, config: ReplicaConfig): Promise<Replica> {
  let running: { child: ChildProcess; port: number; exited: Promise<unknown> } = await spawnReplica(
    name,
    0,
    config,
  );
  const port = running.port;
  const signal = (which: NodeJS.Signals) => running.child.kill(which);
  return {
    name,
    url: `http://127.0.0.1:${port}/`,
    get pid() {
      return running.child.pid ?? -1;
    },
    async kill() {
      signal('SIGKILL');
      await running.exited;
    },
    async restart() {
      running = await spawnReplica(name, port, config);
    },
    freeze: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    async stop() {
      if (running.child.exitCode !== null || running.child.signalCode !== null) return;
      running.child.stdin?.end();
      await running.exited;
    },
  };
}

/** One line a handler wrote: which delivery, which replica (and its pid), and what it did. */
export interface Effect {
  id: string;
  replica: string;
  pid: number;
  what: 'start' | 'effect';
}

export function readEffects(file: string): Effect[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id = '', replica = '', pid = '', what = ''] = line.split(' ');
      return { id, replica, pid: Number(pid), what: what as Effect['what'] };
    });
}
