// Runs Prism on loopback: as a mock of the spec's examples, or as a validating proxy in front of
// a server. Node only: it spawns a process.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isLoopbackHost } from '@realtimekit-webhooks/rules';
import getPort from 'get-port';

/** Options of the Prism servers. */
export interface PrismOptions {
  /** Port to listen on. Default: a free port chosen by the OS. */
  port?: number | undefined;
  /** Loopback address to listen on (127.x.y.z, ::1 or localhost): the mock is never exposed. Default: 127.0.0.1. */
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

/** A running Prism. */
export interface PrismServer {
  /** Base URL to pass to `createRealtimeKitClient({ baseUrl })`. */
  readonly baseUrl: string;
  /** Prism's process id. */
  readonly pid: number;
  /** Stops Prism and waits until it has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

/** Prism's own process exits when its parent dies (see exit-with-parent.ts). */
const exitWithParent = fileURLToPath(new URL('./exit-with-parent.js', import.meta.url));

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

/** Throws unless `host` is a loopback address: a mock accepts any token, so it must not be reachable. */
export function assertLoopback(host: string): void {
  if (isLoopbackHost(host)) return;
  throw new Error(
    `host must be a loopback address (127.0.0.1, ::1 or localhost), not ${JSON.stringify(host)}: the mock accepts any token and must not be reachable from other machines`,
  );
}

/** True when something accepts connections on host:port. */
async function someoneListens(host: string, port: number): Promise<boolean> {
  const socket = connect({ host, port });
  try {
    await once(socket, 'connect');
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

/**
 * Resolves once the Prism we started says it listens on `baseUrl` and answers there. An answer
 * alone is not enough: another process holding the port would answer while our Prism failed to
 * bind it, and the tests would then talk to that process.
 */
async function waitUntilReady(
  baseUrl: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
  where: { host: string; port: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const listening = new RegExp(`Prism is listening on http://\\S+:${where.port}\\b`);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      if (await someoneListens(where.host, where.port)) {
        throw new Error(
          `Port ${where.port} on ${where.host} is held by another process, so Prism could not listen there: choose another port or leave it unset for a free one`,
        );
      }
      throw new Error(`Prism exited before it was ready (code ${child.exitCode}):\n${output()}`);
    }
    if (listening.test(output())) {
      try {
        await fetch(baseUrl, { signal: AbortSignal.timeout(1_000) });
        return;
      } catch {
        // Listening but not answering yet: try again.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
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
): Promise<PrismServer> {
  // `node <prism entry>` rather than the `.bin` shell wrapper, so the pid we hold is Prism itself.
  // Its stdin is a pipe this process holds open: Prism exits when it closes (see exit-with-parent).
  // `-v info` makes Prism say when it listens, which is how readiness is known (see waitUntilReady).
  const child = spawn(
    process.execPath,
    [
      '--import',
      pathToFileURL(exitWithParent).href,
      prismEntry(),
      ...args,
      ...['-h', host, '-p', String(port), '--multiprocess=false', '-v', 'info'],
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  running.add(child);
  installExitHook();
  let output = '';
  let said = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  // The readiness line is looked for in what Prism said up to then, not in the rolling tail.
  const collectStart = (chunk: Buffer) => {
    if (said.length < 64_000) said += chunk.toString();
  };
  child.stdout?.on('data', collectStart);
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const urlHost = host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${urlHost}:${port}`;
  try {
    await waitUntilReady(baseUrl, child, startTimeoutMs, () => said + output, { host, port });
    child.stdout?.off('data', collectStart);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  if (child.pid === undefined) throw new Error('Prism did not start');
  const pid = child.pid;
  return { baseUrl, pid, stop: () => stopChild(child) };
}

/** Starts Prism serving the spec's examples on loopback and resolves once it answers HTTP. */
export async function startExamplesMock(options: PrismOptions = {}): Promise<PrismServer> {
  const host = options.host ?? '127.0.0.1';
  assertLoopback(host);
  const port = options.port ?? (await getPort({ host }));
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
export async function startValidatingProxy(options: ValidatingProxyOptions): Promise<PrismServer> {
  const host = options.host ?? '127.0.0.1';
  assertLoopback(host);
  const port = options.port ?? (await getPort({ host }));
  const args = ['proxy', options.specPath ?? bundledSpecPath, options.upstream, '--errors'];
  return runPrism(args, host, port, options.startTimeoutMs ?? 60_000);
}
