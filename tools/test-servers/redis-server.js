// A real redis-server (Debian's package) for tests and benchmarks: started on a free loopback port
// without persistence, stopped by pid.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import getPort from 'get-port';
import { requiredComponent } from './required-component.js';

/** True when `redis-server` can be run on this machine. */
export function redisServerInstalled() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Whether tests of `what` can run: throws in CI when redis-server is missing, else warns. */
export function redisServerForTests(what) {
  return requiredComponent({
    component: 'redis-server',
    installed: redisServerInstalled(),
    what,
    install: 'apt-get install redis-server',
  });
}

/** Starts redis-server on a free loopback port; `stop()` then `start()` simulates an outage. */
export async function startRedisServer() {
  const port = await getPort({ host: '127.0.0.1' });
  let child;
  const server = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      const started = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = started;
      let output = '';
      await new Promise((resolve, reject) => {
        started.stdout.on('data', (chunk) => {
          output += chunk;
          if (output.includes('Ready to accept connections')) resolve();
        });
        started.once('exit', (code) =>
          reject(new Error(`redis-server exited (${code}):\n${output}`)),
        );
      });
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGTERM');
      await exited;
    },
  };
  await server.start();
  return server;
}
