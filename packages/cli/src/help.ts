// --help texts: short, with the flags each command takes and an example.
import type { Command } from './args.js';

const GLOBAL = `Global options (before or after the command):
  --account-id <id>   Cloudflare account id (default: $CLOUDFLARE_ACCOUNT_ID)
  --app-id <id>       RealtimeKit app id (default: $REALTIMEKIT_APP_ID)
  --base-url <url>    API base URL (default: the Cloudflare API)
  --max-retries <n>   times a failed call may be repeated (default: 2; 0 fails at once)
  --json              print JSON instead of tables (errors too, on stderr)
  --mock              run against a fresh stateful mock of the API (needs the
                      @realtimekit-webhooks/mock package; your token is never sent to it)
  -h, --help          show help
  --version           print this CLI's version

The API token is read from $CLOUDFLARE_API_TOKEN only (never a flag, so it stays out of shell
history); it needs the "Realtime Admin" or "Realtime" permission.`;

const COMMAND_HELP: Record<Command, string> = {
  list: `rtk-webhooks list\n\nList every webhook of the app.`,
  get: `rtk-webhooks get <id> | --name <name>\n\nShow one webhook, by id or by its name (refused when several share it).`,
  add: `rtk-webhooks add --name <name> --url <url> --events <a,b> [--disabled] [--url-secret-env <VAR>]

Add a webhook. Events are comma-separated (rtk-webhooks events lists them).
--url-secret-env VAR adds the secret in environment variable VAR to the URL (rtk_secret), for a
receiver created with urlSecret: only deliveries to that URL are then accepted. The secret is
never printed (rtk_secret=*** in all output); replace, update and ensure take the flag too.
Example: rtk-webhooks add --name billing --url https://billing.example.com/rtk --events meeting.started,meeting.ended`,
  update: `rtk-webhooks update <id> [--name <name>] [--url <url>] [--events <a,b>] [--enabled | --disabled]

Change only the given fields of a webhook.`,
  replace: `rtk-webhooks replace <id> --name <name> --url <url> --events <a,b> [--disabled]

Replace every field of a webhook.`,
  delete: `rtk-webhooks delete <id> | --name <name>\n\nDelete a webhook, by id or by its name (refused when several share it).`,
  events: `rtk-webhooks events\n\nList the event names a webhook can subscribe to.`,
  mock: `rtk-webhooks mock [--port <n>] [--control-port <n>] [--prism-port <n>] [--token <t>] [--json]

Run the stateful mock of the API until Ctrl+C: prints its base URL, the signing-key URL for your
receiver's keyUrl, and the control URL (reset, faults). trigger --key-from takes any of them.
Every port is a free one unless chosen (--prism-port: the Prism process behind --port).
Any bearer token is accepted unless --token names the only one. Webhooks live per account and
app id, as in the API. Needs @realtimekit-webhooks/mock.`,
  trigger: `rtk-webhooks trigger <event> [--to <url>] [--key-from <mock url>] [--payload <file.json>]

Send a signed delivery of <event>: a new event each time (the spec's example with fresh ids), or
--payload checked against the event's schema.
  --to <url>          deliver once to this receiver; with --key-from the running mock signs it
                      (a receiver whose keyUrl is the mock's verifies it), without it a new test
                      key signs it and its public key is printed
  --key-from <url>    a running \`rtk-webhooks mock\`: any URL it printed
Without --to, the mock at --key-from sends the event as RealtimeKit would: to every enabled
webhook registered with it that subscribes to <event> (of --account-id/--app-id when given),
retrying a 5xx or no answer. Exit 0 when every receiver answered 2xx.
--key-from needs @realtimekit-webhooks/mock; --to alone does not.
Example: rtk-webhooks trigger meeting.ended --key-from http://127.0.0.1:4010
         rtk-webhooks trigger meeting.ended --to http://127.0.0.1:3000/rtk --key-from http://127.0.0.1:4010`,
  ensure: `rtk-webhooks ensure --file <webhooks.yaml> [--prune] [--dry-run] [--url-secret-env <VAR>]

Make the app's webhooks match a file: each entry is created, updated or left unchanged,
matched by name; an update lists each field it changes. --prune also deletes the app's
webhooks the file does not name, and duplicates of a name (the oldest is kept); --dry-run
prints the plan and sends nothing. --file - reads the file from standard input.
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
  get <id>|--name <n>  show one webhook
  add                  add a webhook
  update <id>          change some fields of a webhook
  replace <id>         replace every field of a webhook
  delete <id>|--name   delete a webhook
  events               list the event names
  mock                 run the stateful mock (for services in any language)
  trigger <event>      send a signed test delivery (to a receiver, or the mock's webhooks)
  ensure --file <f>    make the webhooks match a file

Run rtk-webhooks <command> --help for a command's options.

${GLOBAL}

Exit codes: 0 success, 1 API or network error, 2 usage or validation error.
`;
}
