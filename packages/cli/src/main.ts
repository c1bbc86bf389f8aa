/** rtk-webhooks: the CLI's entry as a function of its arguments and I/O, which bin.ts runs. */
import { readFileSync } from 'node:fs';
import {
  ConnectionError,
  createRealtimeKitClient,
  type RealtimeKitClient,
  RealtimeKitError,
  ValidationError,
  WEBHOOK_EVENTS,
} from '@realtimekit-webhooks/client';
import type { MockServer } from '@realtimekit-webhooks/mock';
import { maskUrlSecret } from '@realtimekit-webhooks/rules';
import { parseCommandLine, type Values } from './args.js';
import { runCommand } from './commands.js';
import { eventHint } from './did-you-mean.js';
import type { Stdin } from './ensure-file.js';
import { helpText } from './help.js';
import { runMock, runTrigger } from './kit-commands.js';
import { loadMock } from './load-mock.js';
import { printable } from './printable.js';
import { UsageError } from './usage-error.js';

/** Where the CLI writes, and the environment it reads. */
export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  /** What `--file -` reads. */
  stdin?: Stdin | undefined;
  /** Settles when the program is asked to stop (SIGINT/SIGTERM): ends `rtk-webhooks mock`. */
  untilStopped?: (() => Promise<unknown>) | undefined;
}

// Stand-ins for --mock: Prism checks only that a bearer token is there. The user's own token and
// ids are never used with --mock: the mock is not the API, and a real token must not reach it.
const MOCK_DEFAULTS = { token: 'mock-token', accountId: 'mock-account', appId: 'mock-app' };

/** `body.events[1]` -> `--events[1]`, `accountId` -> `--account-id`: issues named as the user typed them. */
function asFlag(path: string): string {
  if (path === 'apiToken') return 'the API token';
  if (path === 'webhookId') return 'the webhook id'; // a positional argument, not a flag
  if (path.startsWith('body')) return path.replace(/^body\.?/, '--') || 'the request body';
  return `--${path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * The client's advice in CLI words: "pass `accountId` or set X" becomes "pass --account-id or set
 * X". The token has no flag (it would stay in shell history), so its advice is only "set X".
 */
function inCliWords(message: string): string {
  return message.replace(/pass `(\w+)` or /g, (_whole, option: string) =>
    option === 'apiToken' ? '' : `pass ${asFlag(option)} or `,
  );
}

/** A flag's number as typed; anything else is NaN, which the client refuses, naming the flag. */
function count(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  return /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
}

/**
 * The client for the command: flags are handed over as options and the environment as `env`, so
 * the fallbacks and checks are the client's own (its ValidationError exits 2).
 */
function clientFor(
  values: Values,
  env: Io['env'],
  mock: MockServer | undefined,
): RealtimeKitClient {
  return createRealtimeKitClient({
    apiToken: mock ? MOCK_DEFAULTS.token : undefined,
    accountId: values['account-id'] ?? (mock ? MOCK_DEFAULTS.accountId : undefined),
    appId: values['app-id'] ?? (mock ? MOCK_DEFAULTS.appId : undefined),
    baseUrl: mock?.baseUrl ?? values['base-url'],
    maxRetries: count(values['max-retries']),
    // With --mock nothing is read from the environment: a real token must not reach the mock.
    env: mock ? {} : env,
  });
}

/** One line that says what failed and how to fix it, and the exit code. */
function describeFailure(error: unknown): [string, number] {
  if (error instanceof UsageError) return [error.message, 2];
  if (error instanceof ValidationError) {
    return [
      `invalid input: ${error.issues.map((i) => `${asFlag(i.path)} ${inCliWords(i.message)}${eventHint(i.path, i.message, WEBHOOK_EVENTS)}`).join('; ')}`,
      2,
    ];
  }
  if (error instanceof RealtimeKitError) {
    // instanceof, not names: names are strings anyone can spell, classes are not.
    const fix = error instanceof ConnectionError ? ' (check --base-url and the network)' : '';
    return [`${error.name}: ${error.message}${fix}`, 1];
  }
  // A kit call that reached nothing names the URL and the reason itself ("could not reach X: ECONNREFUSED").
  if (error instanceof Error && error.cause instanceof TypeError) return [error.message, 1];
  // Plain Errors are the kit's own words about what went wrong and how to fix it (a port in use);
  // a system error names its call. Only what nobody worded (a TypeError, a thrown string) is a bug.
  if (error instanceof Error && (error.constructor === Error || 'syscall' in error))
    return [error.message, 1];
  return [`unexpected error: ${error instanceof Error ? error.message : String(error)}`, 1];
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let mock: MockServer | undefined;
  try {
    const { command, id, values } = parseCommandLine(argv);
    if (values.version && !command) {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    if (values.help || !command) {
      (command || values.help ? io.stdout : io.stderr).write(helpText(command));
      return values.help ? 0 : 2;
    }
    // A URL secret (rtk_secret=...) never reaches the terminal or a log, in tables or in JSON.
    const print = (text: string) => io.stdout.write(`${maskUrlSecret(text)}\n`);
    if (command === 'mock') {
      await runMock(values, print, io.untilStopped?.() ?? new Promise(() => {}));
      return 0;
    }
    if (command === 'trigger') {
      return await runTrigger(id ?? '', values, print, (text) => io.stderr.write(`${text}\n`));
    }
    if (values.mock) mock = await (await loadMock('--mock')).startMockServer();
    const rtk = clientFor(values, io.env, mock);
    await runCommand({ command, id, values, rtk, print, stdin: io.stdin, env: io.env });
    return 0;
  } catch (error) {
    const [unmasked, code] = describeFailure(error);
    const line = maskUrlSecret(unmasked);
    if (argv.includes('--json')) {
      // Scripts that asked for JSON get their errors as JSON too (JSON.stringify escapes the text).
      io.stderr.write(`${JSON.stringify({ error: { message: line, exitCode: code } })}\n`);
      return code;
    }
    // One prefixed line per line of the message, each made printable (messages quote servers).
    const lines = line.split('\n').map((text) => `rtk-webhooks: ${printable(text)}\n`);
    io.stderr.write(lines.join(''));
    return code;
  } finally {
    await mock?.stop();
  }
}
