/**
 * Starts Prism on loopback serving the RealtimeKit webhooks spec, for tests and demos.
 * Node only: it spawns a process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Options of `startMockServer`. */
export interface MockServerOptions {
  /** Port to listen on. Default: a free port chosen by the OS. */
  port?: number | undefined;
  /** Loopback address to listen on. Default: 127.0.0.1. */
  host?: string | undefined;
  /** Generate responses from the schemas (deterministically, seeded) instead of serving the spec's examples. */
  dynamic?: boolean | undefined;
  /** Answer with an error when a request or response violates the spec (Prism's `--errors`). */
  errors?: boolean | undefined;
  /** The OpenAPI document to serve. Default: the spec bundled into this package. */
  specPath?: string | undefined;
  /** How long to wait for Prism to answer, in milliseconds. Default: 60 000. */
  startTimeoutMs?: number | undefined;
}

/** A running mock server. */
export interface MockServer {
  /** Base URL to pass to `createRealtimeKitClient({ baseUrl })`. */
  readonly baseUrl: string;
  /** Prism's process id. */
  readonly pid: number;
  /** Stops Prism and waits until it has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

/** The spec this package ships, bundled into one file at build time. */
export const bundledSpecPath = fileURLToPath(
  new URL('./realtimekit-webhooks.yaml', import.meta.url),
);

const STOP_GRACE_MS = 3_000;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

// Last line of defence: a test runner or script that forgets stop(), exits, or is killed must not
// leave Prism serving. On SIGINT/SIGTERM the signal is raised again once Prism is gone, unless the
// program handles the signal itself.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function prismEntry(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');
}

/** A port that was free a moment ago on `host`. */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string')
    throw new Error('Could not find a free port');
  return address.port;
}

async function waitUntilAnswering(
  baseUrl: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Prism exited before it was ready (code ${child.exitCode}):\n${output()}`);
    }
    try {
      // Any HTTP answer (Prism says 404 for `/`) means it is listening.
      await fetch(baseUrl, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`Prism did not answer on ${baseUrl} within ${timeoutMs} ms:\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** Spawns Prism with `args` (after the entry point) and resolves once it answers on host:port. */
async function runPrism(
  args: string[],
  host: string,
  port: number,
  startTimeoutMs: number,
): Promise<MockServer> {
  // `node <prism entry>` rather than the `.bin` shell wrapper, so the pid we hold is Prism itself.
  const child = spawn(
    process.execPath,
    [prismEntry(), ...args, '-h', host, '-p', String(port), '--multiprocess=false', '-v', 'warn'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  installExitHook();
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const urlHost = host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${urlHost}:${port}`;
  try {
    await waitUntilAnswering(baseUrl, child, startTimeoutMs, () => output);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  if (child.pid === undefined) throw new Error('Prism did not start');
  const pid = child.pid;
  return { baseUrl, pid, stop: () => stopChild(child) };
}

/** Starts Prism serving the spec on loopback and resolves once it answers HTTP. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await findFreePort(host));
  const args = ['mock', options.specPath ?? bundledSpecPath];
  if (options.dynamic)
    args.push('-d', '--seed', 'realtimekit', '--json-schema-faker-fillProperties=false');
  if (options.errors) args.push('--errors');
  return runPrism(args, host, port, options.startTimeoutMs ?? 60_000);
}

/** Options of `startValidatingProxy`. */
export interface ValidatingProxyOptions {
  /** The server to forward to, e.g. a fake of the API. */
  upstream: string;
  port?: number | undefined;
  host?: string | undefined;
  specPath?: string | undefined;
  startTimeoutMs?: number | undefined;
}

/**
 * Starts Prism as a proxy in front of `upstream` that checks every request and response against
 * the spec and answers with an error (and `sl-violations`) when either breaks it. Point a client
 * at its `baseUrl` to prove a fake or a real server has not drifted from the spec.
 */
export async function startValidatingProxy(options: ValidatingProxyOptions): Promise<MockServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await findFreePort(host));
  const args = ['proxy', options.specPath ?? bundledSpecPath, options.upstream, '--errors'];
  return runPrism(args, host, port, options.startTimeoutMs ?? 60_000);
}
