// A stopped mock leaves nothing behind (a queued delay or a retry wait does not keep the process
// alive), and every port it listens on can be chosen: by startMockServer's options, and in the
// vitest entry by options or by environment variables.
import { spawn } from 'node:child_process';
import { type MockSetupOptions, mockSetup } from '@realtimekit-webhooks/mock/vitest';
import getPort from 'get-port';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestProject } from 'vitest/node';

describe('stop() ends what the mock still holds', () => {
  it('a request held by a 10-minute delay fault and an emit waiting a minute to retry: the process exits soon after stop()', async () => {
    // In a child, so "the process exits" is observed from outside: any timer left would hold it.
    const script = `
      import { createServer } from 'node:http';
      import { startMockServer } from '@realtimekit-webhooks/mock';
      const refusing = createServer((_q, r) => r.writeHead(503).end()).listen(0, '127.0.0.1');
      await new Promise((r) => refusing.once('listening', r));
      const to = 'http://127.0.0.1:' + refusing.address().port + '/rtk';
      const mock = await startMockServer({ retry: { attempts: 5, firstDelayMs: 60000 } });
      const rtk = mock.baseUrl + '/accounts/a/realtime/kit/b/webhooks';
      const headers = { authorization: 'Bearer throwaway', 'content-type': 'application/json' };
      await fetch(rtk, { method: 'POST', headers, body: JSON.stringify({ name: 'n', url: to, events: ['meeting.ended'] }) });
      await mock.faults.push({ kind: 'delay', ms: 600000, after: false });
      const held = fetch(rtk, { headers }).then((r) => 'answered ' + r.status, () => 'dropped');
      // The control call ends with the mock (its connection is closed), and so does the retry wait.
      const emitted = mock.emit('meeting.ended').then(() => 'answered', () => 'ended');
      await new Promise((r) => setTimeout(r, 500));
      const started = performance.now();
      await mock.stop();
      refusing.close();
      console.log(JSON.stringify({ held: await held, attempts: await emitted }));
      process.on('exit', () => console.log(JSON.stringify({ exitedAfterMs: Math.round(performance.now() - started) })));
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 45_000);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    const [report, exit] = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(code).toBe(0); // exited by itself, not killed at the 45 s deadline
    expect(report).toEqual({ held: 'dropped', attempts: 'ended' });
    // Far below the 60 s retry wait and the 10-minute delay that were pending.
    expect(exit.exitedAfterMs).toBeLessThan(30_000);
  });
});

/** The vitest entry's set-up for `mode` with `options`, as a setup file of a user's would make it. */
const setupMock = (
  project: TestProject,
  mode: 'stateful' | 'examples',
  options: MockSetupOptions = {},
) => mockSetup({ ...options, mode })(project);

/** A stand-in for vitest's TestProject: records what the setup provides. */
function recordingProject() {
  const provided: Record<string, string> = {};
  const project = {
    provide: (key: string, value: string) => {
      provided[key] = value;
    },
  } as unknown as TestProject;
  return { project, provided };
}

const portOf = (url: string) => Number(new URL(url).port);
const teardowns: (() => Promise<void>)[] = [];
const VARIABLES = ['RTK_MOCK_PORT', 'RTK_MOCK_CONTROL_PORT', 'RTK_MOCK_PRISM_PORT'];
afterEach(async () => {
  await Promise.all(teardowns.splice(0).map((teardown) => teardown()));
  for (const name of VARIABLES) delete process.env[name];
});

describe('every port of the mock can be chosen', () => {
  it('the vitest entry takes the API, control and Prism ports from options', async () => {
    const [port, controlPort, prismPort] = [await getPort(), await getPort(), await getPort()];
    const { project, provided } = recordingProject();
    teardowns.push(await setupMock(project, 'stateful', { port, controlPort, prismPort }));
    expect(portOf(provided.realtimeKitBaseUrl ?? '')).toBe(port);
    expect(portOf(provided.realtimeKitMockControl ?? '')).toBe(controlPort);
    // Prism answers on its port: the signing key, through the validating proxy.
    const key = await fetch(`http://127.0.0.1:${prismPort}/.well-known/webhooks.json`);
    expect(key.status).toBe(200);
  });

  it('...and from RTK_MOCK_PORT, RTK_MOCK_CONTROL_PORT and RTK_MOCK_PRISM_PORT', async () => {
    const [port, controlPort, prismPort] = [await getPort(), await getPort(), await getPort()];
    process.env.RTK_MOCK_PORT = String(port);
    process.env.RTK_MOCK_CONTROL_PORT = String(controlPort);
    process.env.RTK_MOCK_PRISM_PORT = String(prismPort);
    const { project, provided } = recordingProject();
    teardowns.push(await setupMock(project, 'stateful'));
    expect(portOf(provided.realtimeKitBaseUrl ?? '')).toBe(port);
    expect(portOf(provided.realtimeKitMockControl ?? '')).toBe(controlPort);
    expect((await fetch(`http://127.0.0.1:${prismPort}/.well-known/webhooks.json`)).status).toBe(
      200,
    );
  });

  it('an option wins over the environment; the examples mode takes RTK_MOCK_PORT', async () => {
    const [fromEnv, fromOption] = [await getPort(), await getPort()];
    process.env.RTK_MOCK_PORT = String(fromEnv);
    const stateful = recordingProject();
    teardowns.push(await setupMock(stateful.project, 'stateful', { port: fromOption }));
    expect(portOf(stateful.provided.realtimeKitBaseUrl ?? '')).toBe(fromOption);
    const examples = recordingProject();
    teardowns.push(await setupMock(examples.project, 'examples'));
    expect(portOf(examples.provided.realtimeKitBaseUrl ?? '')).toBe(fromEnv);
  });

  it('a variable that is not a port is refused naming it, before anything starts', async () => {
    process.env.RTK_MOCK_CONTROL_PORT = '80a';
    const { project, provided } = recordingProject();
    await expect(setupMock(project, 'stateful')).rejects.toThrow(
      /RTK_MOCK_CONTROL_PORT must be a port number from 1 to 65535, not "80a"/,
    );
    expect(provided).toEqual({});
  });
});
