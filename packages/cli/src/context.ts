// What every command runs with: the parsed command line, the client, where output goes, and the
// environment. One object, so a command takes what it needs by name.
import type { RealtimeKitClient } from '@realtimekit-webhooks/client';
import type { Command, Values } from './args.js';
import type { Stdin } from './ensure-file.js';

export interface CommandContext {
  readonly command: Command;
  /** The webhook id argument, when the command took one. */
  readonly id: string | undefined;
  readonly values: Values;
  readonly rtk: RealtimeKitClient;
  /** Writes one result (masked and printable by the caller). */
  readonly print: (text: string) => void;
  /** What `--file -` reads. */
  readonly stdin?: Stdin | undefined;
  readonly env: Record<string, string | undefined>;
}
