// The release, proven on the tarballs: version and publish every public package into a local
// registry with the same scripts a real release uses, then install them into a plain npm project
// outside the workspace and use them there (a real call to the mock, a signed delivery, tsc).
import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type MockServer, startMockServer } from '@realtimekit-webhooks/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRegistry } from '../lib/local-registry.mjs';
import { root } from '../lib/workspace.mjs';

const require = createRequire(import.meta.url);
let work: string;
let registry: Awaited<ReturnType<typeof startLocalRegistry>>;
let mock: MockServer;
let env: Record<string, string>;

function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}) {
  return new Promise<string>((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env: { ...process.env, ...env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`${command} ${args.join(' ')} failed:\n${stdout}\n${stderr}`))
          : resolve(stdout),
    );
  });
}

/** Copies the workspace as git sees it (tracked and new files, nothing ignored) into `target`. */
async function copyWorkspace(target: string) {
  const files = (
    await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], root)
  )
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    await mkdir(dirname(join(target, file)), { recursive: true });
    await copyFile(join(root, file), join(target, file)).catch(() => undefined); // deleted but not staged
  }
}

/** Publishes a third-party package the client needs from node_modules, so the registry needs no uplink. */
async function mirror(name: string, from: string) {
  const stored = dirname(createRequire(join(from, 'x.js')).resolve(`${name}/package.json`));
  // A plain copy first: the pnpm store hard-links identical files, and npm pack would write those
  // as empty hard-link entries.
  const dir = join(work, 'mirror', name);
  await cp(stored, dir, { recursive: true });
  const tarball =
    (await run('npm', ['pack', dir, '--ignore-scripts', '--pack-destination', work], work))
      .trim()
      .split('\n')
      .at(-1) ?? '';
  await run('npm', ['publish', join(work, tarball), '--ignore-scripts', '--tag', 'latest'], work);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rtk-release-'));
  registry = await startLocalRegistry(join(work, 'registry'));
  // npm reads npm_config_*, pnpm 12 reads pnpm_config_*: set both, so that nothing in this test can
  // publish to or install from anywhere but the local registry.
  env = {
    npm_config_registry: registry.url,
    pnpm_config_registry: registry.url,
    [`npm_config_//127.0.0.1:${registry.port}/:_authToken`]: registry.token,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  const clientDir = join(root, 'packages', 'client');
  await mirror('openapi-fetch', clientDir);
  await mirror(
    'openapi-typescript-helpers',
    dirname(require.resolve('openapi-fetch/package.json', { paths: [clientDir] })),
  );
  mock = await startMockServer();
}, 300_000);

afterAll(async () => {
  await mock?.stop();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('release to a registry, install from it', () => {
  it('versions, publishes, installs and runs the packages outside the workspace', async () => {
    // 1. A copy of the repo, as a git repository on main (the release script tags it).
    const repo = join(work, 'repo');
    await copyWorkspace(repo);
    const gitId = ['-c', 'user.name=release-test', '-c', 'user.email=release-test@example.invalid'];
    await run('git', ['init', '-q', '-b', 'main'], repo);
    await run('git', [...gitId, 'add', '-A'], repo);
    await run('git', [...gitId, 'commit', '-qm', 'release candidate'], repo);
    // Offline from the workspace's own store: nothing is fetched, whichever disk the copy is on.
    const store = (await run('pnpm', ['store', 'path'], root)).trim();
    await run('pnpm', ['install', '--offline', '--frozen-lockfile', '--store-dir', store], repo);
    // pnpm takes the publish token from an .npmrc (toolchain gotcha 2); this copy's is thrown away.
    const npmrc = join(repo, '.npmrc');
    await writeFile(
      npmrc,
      `${await readFile(npmrc, 'utf8')}registry=${registry.url}\n//127.0.0.1:${registry.port}/:_authToken=${registry.token}\n`,
    );
    expect((await run('pnpm', ['config', 'get', 'registry'], repo)).trim()).toBe(registry.url);

    // 2. The same two steps a release runs: version (then commit, as the version PR would), publish.
    await run('pnpm', ['run', 'version-packages'], repo, { CI: '' });
    await run('git', [...gitId, 'commit', '-qam', 'version packages'], repo);
    const published = await run('pnpm', ['run', 'release'], repo);
    const version = JSON.parse(await readFile(join(repo, 'packages/client/package.json'), 'utf8'))
      .version as string;
    expect(version).not.toBe('0.0.0');
    for (const name of ['types', 'client', 'receiver', 'mock', 'cli']) {
      expect(published).toContain(`@realtimekit-webhooks/${name}`);
      const shown = await run('npm', ['view', `@realtimekit-webhooks/${name}`, 'version'], work);
      expect(shown.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(await run('git', ['tag', '--list'], repo)).toContain(
      `@realtimekit-webhooks/client@${version}`,
    );
    // Private packages stay private.
    await expect(
      run('npm', ['view', '@realtimekit-webhooks/example-node-service', 'version'], work),
    ).rejects.toThrow();

    // 3. A plain npm project elsewhere installs the client, types and receiver by version.
    const consumer = join(work, 'consumer');
    await mkdir(consumer);
    await run('npm', ['init', '-y'], consumer);
    await run('npm', ['pkg', 'set', 'type=module'], consumer);
    await run(
      'npm',
      [
        'install',
        `@realtimekit-webhooks/client@${version}`,
        '@realtimekit-webhooks/types',
        '@realtimekit-webhooks/receiver',
      ],
      consumer,
    );
    const lock = await readFile(join(consumer, 'package-lock.json'), 'utf8');
    expect(lock).not.toContain('workspace:');
    expect(lock).not.toContain('link:');

    // 4. A consumer that type-checks against the installed types and talks to the mock.
    await writeFile(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          target: 'ES2022',
          strict: true,
          lib: ['ES2022', 'DOM'],
          outDir: 'out',
          skipLibCheck: false,
          types: [],
        },
        include: ['consumer.ts'],
      }),
    );
    await writeFile(
      join(consumer, 'consumer.ts'),
      `import { createRealtimeKitClient, ValidationError, type Webhook } from '@realtimekit-webhooks/client';
import { createWebhookReceiver, type Delivery } from '@realtimekit-webhooks/receiver';

const rtk = createRealtimeKitClient({ apiToken: 'consumer-token', accountId: 'acc', appId: 'app', baseUrl: (globalThis as unknown as { process: { argv: string[] } }).process.argv[2] });
const created: Webhook = await rtk.webhooks.create({ name: 'consumer', url: 'https://consumer.example/rtk', events: ['meeting.started'] });
const listed = await rtk.webhooks.list();
const refused = await rtk.webhooks.get('not-a-uuid').catch((e: unknown) => e instanceof ValidationError);

const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const pair = await crypto.subtle.generateKey({ ...algorithm, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['sign', 'verify']);
const receiver = createWebhookReceiver({ publicKey: pair.publicKey });
const body = new TextEncoder().encode(JSON.stringify({ event: 'meeting.started', meeting: { id: 'm-1', sessionId: 's-1', title: 'Weekly sync', status: 'LIVE', createdAt: '2026-06-03T10:00:00.000Z', startedAt: '2026-06-03T10:00:00.000Z', organizedBy: { id: 'o-1', name: 'Example organization' } } }));
const signature = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign(algorithm, pair.privateKey, body))));
const delivery: Delivery = await receiver.verifyRaw(body, { 'rtk-signature': signature, 'rtk-uuid': 'u1', 'rtk-webhook-id': created.id });
console.log(JSON.stringify({ created: created.id, listed: listed.length, refused, event: delivery.event }));
`,
    );
    const tsc = join(
      dirname(
        require.resolve('typescript/package.json', { paths: [join(root, 'packages/client')] }),
      ),
      'bin',
      'tsc',
    );
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], consumer, {
      npm_config_registry: '',
    });
    const output = await run(
      process.execPath,
      [join(consumer, 'out', 'consumer.js'), mock.baseUrl],
      consumer,
    );
    expect(JSON.parse(output)).toEqual({
      created: '0d1f069d-43bb-489a-ad8c-7eb95592ba8e',
      listed: 2,
      refused: true,
      event: 'meeting.started',
    });
  }, 600_000);
});
