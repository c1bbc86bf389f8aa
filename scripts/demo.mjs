// pnpm demo: the product's whole story in one run, on the built packages. The stateful mock starts;
// `ensure` creates a webhook from a small file; `list` shows it; a signed meeting.ended is delivered
// to a local receiver, verified and printed as a typed event; a second `ensure` sends nothing;
// everything stops. `--json` prints the same as JSON lines.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { startMockServer } from '@realtimekit-webhooks/mock';
import { createWebhookReceiver } from '@realtimekit-webhooks/receiver';
import { nodeHandler } from '@realtimekit-webhooks/receiver/node';

const run = promisify(execFile);
const asJson = process.argv.includes('--json');
// People get a heading and the CLI's own output; --json gets one object per step.
const say = (step, text, { output = '', ...data }) =>
  console.log(asJson ? JSON.stringify({ step, ...data }) : `\n== ${text}\n${output}`.trimEnd());

// The CLI as users run it: its installed `rtk-webhooks` program, with stand-in credentials (the
// mock accepts any token).
const cliPackage = createRequire(import.meta.url).resolve('@realtimekit-webhooks/cli/package.json');
const cliBin = join(
  dirname(cliPackage),
  JSON.parse(await readFile(cliPackage, 'utf8')).bin['rtk-webhooks'],
);

async function cli(args) {
  const env = {
    PATH: process.env.PATH,
    CLOUDFLARE_API_TOKEN: 'demo-token',
    CLOUDFLARE_ACCOUNT_ID: 'demo-account',
    REALTIMEKIT_APP_ID: 'demo-app',
  };
  try {
    const { stdout } = await run(process.execPath, [cliBin, ...args], { env });
    return stdout.trimEnd();
  } catch (error) {
    throw new Error(`rtk-webhooks ${args.join(' ')} exited ${error.code}: ${error.stderr}`);
  }
}

const scratch = await mkdtemp(join(tmpdir(), 'rtk-demo-'));
const mock = await startMockServer();
let receiverServer;
try {
  say('mock', 'The stateful mock of the API is up (checked against the spec by Prism)', {
    output: `API ${mock.baseUrl}\nsigning key ${mock.keyUrl}`,
    baseUrl: mock.baseUrl,
    keyUrl: mock.keyUrl,
  });

  // A receiver service, as a team would write it: handle each delivery, typed per event.
  const receiver = createWebhookReceiver({ keyUrl: mock.keyUrl });
  const verified = [];
  receiverServer = createServer(
    nodeHandler(receiver, { 'meeting.ended': (delivery) => void verified.push(delivery) }),
  );
  await new Promise((resolve) => receiverServer.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${receiverServer.address().port}/rtk`;

  const file = join(scratch, 'webhooks.yaml');
  await writeFile(
    file,
    [
      'webhooks:',
      '  - name: billing-prod',
      `    url: ${receiverUrl}`,
      '    events: [meeting.started, meeting.ended]',
      '',
    ].join('\n'),
  );
  const api = ['--base-url', mock.baseUrl, ...(asJson ? ['--json'] : [])];
  const first = await cli(['ensure', '--file', file, ...api]);
  say('ensure', 'rtk-webhooks ensure --file webhooks.yaml   (first run: the webhook is created)', {
    output: first,
    ...(asJson ? { result: JSON.parse(first) } : {}),
  });

  const listed = await cli(['list', ...api]);
  say('list', 'rtk-webhooks list   (the webhook with the name and URL the file gave)', {
    output: listed,
    ...(asJson ? { result: JSON.parse(listed) } : {}),
  });

  const sent = await mock.deliver('meeting.ended', { to: receiverUrl });
  const delivery = verified.at(-1);
  if (sent.status !== 200 || !delivery)
    throw new Error(`the delivery was refused: ${sent.status} ${sent.body}`);
  // `delivery.event` narrows the payload's type: for meeting.ended it has `meeting` and `reason`.
  const typed =
    delivery.event === 'meeting.ended'
      ? {
          event: delivery.event,
          id: delivery.id,
          meeting: delivery.payload.meeting.id,
          title: delivery.payload.meeting.title,
          reason: delivery.payload.reason,
        }
      : { event: delivery.event, id: delivery.id };
  say('delivery', 'A signed meeting.ended, delivered to the local receiver, verified and typed', {
    output: Object.entries(typed)
      .map(([key, value]) => `${key.padEnd(8)} ${value}`)
      .join('\n'),
    delivery: typed,
  });

  const second = await cli(['ensure', '--file', file, ...api]);
  say(
    'ensure-again',
    'rtk-webhooks ensure --file webhooks.yaml   (second run: nothing to change)',
    {
      output: second,
      ...(asJson ? { result: JSON.parse(second) } : {}),
    },
  );
} finally {
  receiverServer?.close();
  await mock.stop();
  await rm(scratch, { recursive: true, force: true });
}
say('stopped', 'Everything stopped.', { output: '' });
