#!/usr/bin/env node
import { main } from './main.js';

// SIGINT/SIGTERM end `rtk-webhooks mock` cleanly (its Prism is stopped before exit). Listened
// for only by that command: elsewhere Ctrl+C keeps its usual effect.
const untilStopped = () =>
  new Promise((resolve) => {
    // `on`, not `once`: a listener must still be there when the mock's own exit hook looks, or it
    // re-raises the signal and the process dies before the mock is stopped cleanly.
    process.on('SIGINT', resolve);
    process.on('SIGTERM', resolve);
  });

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdin: process.stdin,
  untilStopped,
});
// Exit once the output is written: a read still blocked in the thread pool (a FIFO nobody writes
// to, given as --payload) must not keep the CLI alive after it answered.
process.exitCode = code;
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
