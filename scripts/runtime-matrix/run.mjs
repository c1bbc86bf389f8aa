// pnpm runtime-matrix: packs the client and receiver, bundles one smoke test from the packed
// files, and runs it on Node 20, 22 and 24, Bun, Deno and workerd against a loopback fake API.
// The runtimes come from the registry into this folder's own install (not the workspace's).
import { execFile, execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
// The pnpm that runs this script: a JS entry point (older pnpm) or a native binary (pnpm 12).
const execPath = process.env.npm_execpath;
const pnpm = !execPath
  ? ['pnpm']
  : /\.[cm]?js$/.test(execPath)
    ? [process.execPath, execPath]
    : [execPath];
const sh = (cmd, args, options = {}) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options });

// 1. The runtimes, from this folder's lockfile.
sh(pnpm[0], [...pnpm.slice(1), 'install', '--frozen-lockfile', '--dir', here], {
  stdio: 'inherit',
});
const runtimesDir = join(here, 'node_modules');
const requireHere = createRequire(join(here, 'run.mjs'));
const { Miniflare } = requireHere('miniflare');

// 2. The packed packages, unpacked into a scratch node_modules with openapi-fetch beside them.
const scratch = await mkdtemp(join(tmpdir(), 'rtk-matrix-'));
const modules = join(scratch, 'node_modules');
for (const name of ['types', 'client', 'receiver']) {
  const dir = join(root, 'packages', name);
  sh(pnpm[0], [...pnpm.slice(1), 'pack', '--pack-destination', scratch], { cwd: dir });
  const tarball = (await readdir(scratch)).find(
    (f) => f.startsWith(`realtimekit-webhooks-${name}-`) && f.endsWith('.tgz'),
  );
  const target = join(modules, '@realtimekit-webhooks', name);
  await mkdir(target, { recursive: true });
  sh('tar', ['-xzf', join(scratch, tarball), '-C', target, '--strip-components=1']);
}
const requireClient = createRequire(join(root, 'packages', 'client', 'package.json'));
const openapiFetch = dirname(requireClient.resolve('openapi-fetch/package.json'));
await cp(openapiFetch, join(modules, 'openapi-fetch'), { recursive: true, dereference: true });
const helpers = dirname(
  createRequire(join(openapiFetch, 'package.json')).resolve(
    'openapi-typescript-helpers/package.json',
  ),
);
await cp(helpers, join(modules, 'openapi-typescript-helpers'), {
  recursive: true,
  dereference: true,
});

// 3. One bundle of the smoke test, from the packed files, for every runtime.
const { build } = createRequire(join(root, 'scripts', 'package.json'))('esbuild');
await cp(join(here, 'smoke.mjs'), join(scratch, 'smoke.mjs'));
await cp(join(here, 'runner.mjs'), join(scratch, 'runner.mjs'));
await build({
  entryPoints: [join(scratch, 'smoke.mjs')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  outfile: join(scratch, 'smoke.bundle.mjs'),
  logLevel: 'warning',
});

// 4. The fake API and a delivery signed by the kit's test signer (the spec's example payload).
const { createTestSigner, deliveryBody } = await import(
  join(root, 'packages', 'receiver', 'dist', 'testing.js')
);
const { startFakeApi } = await import(join(root, 'packages', 'mock', 'dist', 'fake.js'));
const fake = await startFakeApi();
const signer = await createTestSigner();
const publicKey = signer.publicKey;
const body = deliveryBody('meeting.started');
const signature = (await signer.sign(body))['rtk-signature'];
const config = (name) =>
  JSON.stringify({ baseUrl: fake.baseUrl, name, publicKey, body, signature });

const viaProcess =
  (command, args, env = {}) =>
  (name) =>
    new Promise((resolve, reject) =>
      execFile(
        command,
        [...args, config(name)],
        { cwd: scratch, env: { PATH: process.env.PATH, ...env }, timeout: 60_000 },
        (error, stdout, stderr) =>
          error
            ? reject(new Error(`${stderr || error.message}`.trim().split('\n').slice(-3).join(' ')))
            : resolve(JSON.parse(stdout.trim().split('\n').at(-1))),
      ),
    );
const viaWorkerd = async (name) => {
  const bundle = (await import('node:fs/promises')).readFile(
    join(scratch, 'smoke.bundle.mjs'),
    'utf8',
  );
  const worker = `${await bundle}\nexport default { async fetch(request) { return Response.json(await smoke(await request.json())); } };`;
  const mf = new Miniflare({ modules: true, script: worker, compatibilityDate: '2026-04-01' });
  try {
    const response = await mf.dispatchFetch('http://localhost/', {
      method: 'POST',
      body: config(name),
    });
    if (!response.ok) throw new Error(await response.text());
    return await response.json();
  } finally {
    await mf.dispose();
  }
};

// The Durable Object seen store in workerd: many concurrent requests carrying one delivery, and
// exactly one of them handles it; forget lets its retry through.
await cp(join(here, 'seen-do-worker.mjs'), join(scratch, 'seen-do-worker.mjs'));
await build({
  entryPoints: [join(scratch, 'seen-do-worker.mjs')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  outfile: join(scratch, 'seen-do-worker.bundle.mjs'),
  logLevel: 'warning',
});
const viaDurableObject = async () => {
  const script = await (await import('node:fs/promises')).readFile(
    join(scratch, 'seen-do-worker.bundle.mjs'),
    'utf8',
  );
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2026-04-01',
    durableObjects: { SEEN: 'SeenDeliveriesObject' },
    bindings: { PUBLIC_KEY: publicKey },
  });
  try {
    const body = deliveryBody('meeting.ended');
    const headers = await signer.sign(body, { id: 'do-1' });
    const send = async (path = '/rtk', init = { method: 'POST', body, headers }) => {
      const response = await mf.dispatchFetch(`http://worker${path}`, init);
      return response.status === 204 ? {} : response.json();
    };
    const concurrent = await Promise.all(Array.from({ length: 20 }, () => send()));
    const handled = concurrent.filter((r) => r.duplicate === false).length;
    await send('/forget', { method: 'POST', body: JSON.stringify(concurrent[0]) });
    const retried = await send();
    const otherBody = deliveryBody('meeting.started');
    const other = await send('/rtk', {
      method: 'POST',
      body: otherBody,
      headers: await signer.sign(otherBody, { id: 'do-2' }),
    });
    return { handled, retried: retried.duplicate, other: other.duplicate };
  } finally {
    await mf.dispose();
  }
};

const runtimes = [
  ['Node 20', viaProcess(process.execPath, ['runner.mjs'])],
  ['Node 22', viaProcess(join(runtimesDir, 'node22', 'bin', 'node'), ['runner.mjs'])],
  [
    'Node 24',
    viaProcess(join(runtimesDir, 'node24', 'bin', 'node'), ['runner.mjs'], {
      NODE_COMPILE_CACHE: join(scratch, 'node-cache'),
    }),
  ],
  ['Bun', viaProcess(join(runtimesDir, '@oven', 'bun-linux-x64', 'bin', 'bun'), ['runner.mjs'])],
  [
    'Deno',
    viaProcess(
      join(runtimesDir, '@deno', 'linux-x64-glibc', 'deno'),
      ['run', '--allow-net=127.0.0.1', '--allow-read=.', 'runner.mjs'],
      { DENO_DIR: join(scratch, 'deno'), DENO_NO_UPDATE_CHECK: '1' },
    ),
  ],
  ['workerd', viaWorkerd],
];

const rows = [];
try {
  const result = await viaDurableObject();
  const ok = result.handled === 1 && result.retried === false && result.other === false;
  rows.push({
    runtime: 'workerd DO',
    ok,
    detail: ok ? '20 concurrent copies handled once, forget, retry' : JSON.stringify(result),
  });
} catch (error) {
  rows.push({ runtime: 'workerd DO', ok: false, detail: error.message });
}
for (const [runtime, run] of runtimes) {
  const name = `matrix-${runtime.replace(/\s/g, '').toLowerCase()}`;
  try {
    const result = await run(name);
    const stored = fake.store.list().filter((w) => w.name === name);
    const ok =
      result.listed === 1 &&
      result.event === 'meeting.started' &&
      stored.length === 1 &&
      stored[0].id === result.created;
    rows.push({ runtime, ok, detail: ok ? 'create, list, verify' : JSON.stringify(result) });
  } catch (error) {
    rows.push({ runtime, ok: false, detail: error.message });
  }
}
await fake.stop();
await rm(scratch, { recursive: true, force: true });

for (const row of rows)
  console.log(`${row.ok ? 'ok  ' : 'FAIL'} ${row.runtime.padEnd(10)} ${row.detail}`);
const failed = rows.filter((r) => !r.ok).length;
// Counted in the CI totals line with the vitest reports.
await writeFile(
  join(here, 'test-results.json'),
  JSON.stringify({
    numPassedTests: rows.length - failed,
    numFailedTests: failed,
    numPendingTests: 0,
    numTodoTests: 0,
  }),
);
process.exit(failed === 0 ? 0 : 1);
