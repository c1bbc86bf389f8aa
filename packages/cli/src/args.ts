// Parses the command line: global options are accepted before or after the command name.
import { parseArgs } from 'node:util';
import { didYouMean } from './did-you-mean.js';
import { UsageError } from './usage-error.js';

export const COMMANDS = [
  'list',
  'get',
  'add',
  'update',
  'replace',
  'delete',
  'events',
  'ensure',
  'mock',
  'trigger',
] as const;
export type Command = (typeof COMMANDS)[number];

const GLOBAL = ['account-id', 'app-id', 'base-url', 'max-retries', 'json', 'mock', 'help'] as const;
const BODY = ['name', 'url', 'events', 'disabled', 'url-secret-env'] as const;

/** The options each command takes besides the global ones, and its one argument, if any. */
export const COMMAND_SPECS: Record<
  Command,
  { options: readonly string[]; ids: 0 | 1; argument?: string; orName?: boolean }
> = {
  list: { options: [], ids: 0 },
  get: { options: ['name'], ids: 1, orName: true },
  add: { options: BODY, ids: 0 },
  update: { options: [...BODY, 'enabled'], ids: 1 },
  replace: { options: BODY, ids: 1 },
  delete: { options: ['name'], ids: 1, orName: true },
  events: { options: [], ids: 0 },
  ensure: { options: ['file', 'prune', 'dry-run', 'url-secret-env'], ids: 0 },
  mock: { options: ['port', 'token', 'control-port', 'prism-port'], ids: 0 },
  trigger: { options: ['to', 'payload', 'key-from'], ids: 1, argument: 'an event name' },
};

const OPTIONS = {
  'account-id': { type: 'string' },
  'app-id': { type: 'string' },
  'base-url': { type: 'string' },
  'max-retries': { type: 'string' },
  json: { type: 'boolean' },
  mock: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  name: { type: 'string' },
  url: { type: 'string' },
  events: { type: 'string' },
  disabled: { type: 'boolean' },
  enabled: { type: 'boolean' },
  file: { type: 'string', short: 'f' },
  prune: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  port: { type: 'string' },
  token: { type: 'string' },
  'control-port': { type: 'string' },
  'prism-port': { type: 'string' },
  to: { type: 'string' },
  payload: { type: 'string' },
  'key-from': { type: 'string' },
  'url-secret-env': { type: 'string' },
} as const;

export type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean;
};

export interface Parsed {
  command: Command | undefined;
  id: string | undefined;
  values: Values;
}

/** Parses `argv`; throws UsageError naming the flag or argument that is wrong. */
export function parseCommandLine(argv: readonly string[]): Parsed {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: typeof OPTIONS;
      allowPositionals: true;
      strict: true;
      args: string[];
    }>
  >;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's messages name the option ("Unknown option '--nmae'"); keep them, drop its advice.
    const message = (error as Error).message.split('. To specify')[0] ?? String(error);
    const unknown = /^Unknown option '--([^']+)'/.exec(message)?.[1];
    const hint = unknown ? didYouMean(unknown, Object.keys(OPTIONS), '--') : '';
    throw new UsageError(`${message}${hint}`);
  }
  const [name, id, ...extra] = parsed.positionals;
  const values = parsed.values as Values;
  if (name === undefined) return { command: undefined, id: undefined, values };
  if (!(COMMANDS as readonly string[]).includes(name)) {
    const hint = didYouMean(name, COMMANDS);
    throw new UsageError(
      hint
        ? `unknown command "${name}"${hint}`
        : `unknown command "${name}" (expected one of: ${COMMANDS.join(', ')})`,
    );
  }
  const command = name as Command;
  if (values.help) return { command, id, values };
  const spec = COMMAND_SPECS[command];
  for (const option of Object.keys(values)) {
    if (!(GLOBAL as readonly string[]).includes(option) && !spec.options.includes(option)) {
      throw new UsageError(
        `option --${option} is not an option of "${command}"${didYouMean(option, [...GLOBAL, ...spec.options], '--')} (see rtk-webhooks ${command} --help)`,
      );
    }
  }
  if (spec.orName && id !== undefined && values.name !== undefined) {
    throw new UsageError(`"${command}" takes a webhook id or --name, not both`);
  }
  if (spec.ids === 1 && id === undefined && !(spec.orName && values.name !== undefined)) {
    throw new UsageError(
      spec.argument
        ? `"${command}" needs ${spec.argument}: rtk-webhooks ${command} <${spec.argument.replace(/^an? /, '').replace(/ /g, '-')}>`
        : `"${command}" needs a webhook id: rtk-webhooks ${command} <id>${spec.orName ? ` (or --name <name>)` : ''}`,
    );
  }
  if ((spec.ids === 0 && id !== undefined) || extra.length > 0) {
    throw new UsageError(
      `unexpected argument "${spec.ids === 0 ? id : extra[0]}" for "${command}"`,
    );
  }
  if (values.enabled && values.disabled)
    throw new UsageError('--enabled and --disabled cannot both be given');
  return { command, id, values };
}

/** The comma-separated `--events` list, or undefined when the flag was not given. */
export function eventList(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== '');
}
