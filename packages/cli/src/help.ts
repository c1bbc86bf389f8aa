// --help texts: short, with the flags each command takes and an example.
import type { Command } from './args.js';

const GLOBAL = `Global options (before or after the command):
  --account-id <id>   Cloudflare account id (default: $CLOUDFLARE_ACCOUNT_ID)
  --app-id <id>       RealtimeKit app id (default: $REALTIMEKIT_APP_ID)
  --base-url <url>    API base URL (default: the Cloudflare API)
  --max-retries <n>   times a failed call may be repeated (default: 2; 0 fails at once)
  --json              print JSON instead of tables
  --mock              run against a fresh stateful mock of the API (needs the
                      @realtimekit-webhooks/mock package; your token is never sent to it)
  -h, --help          show help

The API token is read from $CLOUDFLARE_API_TOKEN only (never a flag, so it stays out of shell
history); it needs the "Realtime Admin" or "Realtime" permission.`;

const COMMAND_HELP: Record<Command, string> = {
  list: `rtk-webhooks list\n\nList every webhook of the app.`,
  get: `rtk-webhooks get <id>\n\nShow one webhook.`,
  add: `rtk-webhooks add --name <name> --url <url> --events <a,b> [--disabled]

Add a webhook. Events are comma-separated (rtk-webhooks events lists them).
Example: rtk-webhooks add --name billing --url https://billing.example.com/rtk --events meeting.started,meeting.ended`,
  update: `rtk-webhooks update <id> [--name <name>] [--url <url>] [--events <a,b>] [--enabled | --disabled]

Change only the given fields of a webhook.`,
  replace: `rtk-webhooks replace <id> --name <name> --url <url> --events <a,b> [--disabled]

Replace every field of a webhook.`,
  delete: `rtk-webhooks delete <id>\n\nDelete a webhook.`,
  events: `rtk-webhooks events\n\nList the event names a webhook can subscribe to.`,
  mock: `rtk-webhooks mock [--port <n>] [--json]

Run the stateful mock of the API until Ctrl+C: prints its base URL, the signing-key URL for your
receiver's keyUrl, and the control URL for trigger --key-from. Any bearer token is accepted.
Needs @realtimekit-webhooks/mock.`,
  trigger: `rtk-webhooks trigger <event> --to <url> [--payload <file.json>] [--key-from <control url>]

Send one signed delivery of <event> (the spec's example, or --payload checked against the
event's schema) to a receiver. With --key-from, the running \`rtk-webhooks mock\` at that control
URL signs it, so a receiver whose keyUrl is the mock's verifies it; without, a new test key signs
it and its public key is printed. Exit 0 when the receiver answered 2xx.
Needs @realtimekit-webhooks/mock.
Example: rtk-webhooks trigger meeting.ended --to http://127.0.0.1:3000/rtk --key-from http://127.0.0.1:4010`,
  ensure: `rtk-webhooks ensure --file <webhooks.yaml> [--prune] [--dry-run]

Make the app's webhooks match a file: each entry is created, updated or left unchanged,
matched by name. --prune deletes other webhooks with the same name (the oldest is kept);
--dry-run prints the plan and sends nothing. --file - reads the file from standard input.
Files are at most 1 MiB; YAML anchors and aliases work (at most 100 aliases).

  webhooks:
    - name: billing-prod              # the identity ensure matches on
      url: https://billing.example.com/rtk
      events: [meeting.started, meeting.ended]
      enabled: true                   # optional, default true`,
};

/** Help for one command, or the overview. */
export function helpText(command: Command | undefined): string {
  if (command) return `${COMMAND_HELP[command]}\n\n${GLOBAL}\n`;
  return `rtk-webhooks: manage Cloudflare RealtimeKit webhooks

Commands:
  list                 list the app's webhooks
  get <id>             show one webhook
  add                  add a webhook
  update <id>          change some fields of a webhook
  replace <id>         replace every field of a webhook
  delete <id>          delete a webhook
  events               list the event names
  mock                 run the stateful mock (for services in any language)
  trigger <event>      send one signed test delivery to a receiver
  ensure --file <f>    make the webhooks match a file

Run rtk-webhooks <command> --help for a command's options.

${GLOBAL}

Exit codes: 0 success, 1 API or network error, 2 usage or validation error.
`;
}
