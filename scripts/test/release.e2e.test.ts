// The release, proven on the tarballs: version and publish every public package into a local
// registry with the same scripts a real release uses, then install them into a plain npm project
// outside the workspace and use them there (a real call to the mock, a signed delivery, tsc).
import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type StatefulMockServer, startMockServer } from '@realtimekit-webhooks/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { productionClosure } from '../lib/dependency-closure.mjs';
import { publishDirectory, startLocalRegistry } from '../lib/local-registry.mjs';
import { root } from '../lib/workspace.mjs';

const require = createRequire(import.meta.url);
let work: string;
let registry: Awaited<ReturnType<typeof startLocalRegistry>>;
let mock: StatefulMockServer;
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

const mirrored = new Set<string>();

/** Publishes the installed package in `stored` (its name@version once), so the registry needs no uplink. */
async function mirrorDir(stored: string) {
  const { name, version } = JSON.parse(await readFile(join(stored, 'package.json'), 'utf8'));
  if (mirrored.has(`${name}@${version}`)) return;
  mirrored.add(`${name}@${version}`);
  // A plain copy first: the pnpm store hard-links identical files.
  const dir = join(work, 'mirror', `${name}@${version}`.replace('/', '__'));
  await cp(stored, dir, { recursive: true });
  await publishDirectory(dir, registry);
}

/** Publishes a third-party package the client needs, as installed for `from`. */
async function mirror(name: string, from: string) {
  await mirrorDir(dirname(createRequire(join(from, 'x.js')).resolve(`${name}/package.json`)));
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
  await mirror('yaml', join(root, 'packages', 'cli'));
  // The consumer below type-checks Node code: Node's types and what they depend on.
  await mirror('@types/node', clientDir);
  await mirror(
    'undici-types',
    dirname(require.resolve('@types/node/package.json', { paths: [clientDir] })),
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
    // 1b. Before anything is published: `pnpm pack:all` and the one command it prints install
    // the client and receiver into a plain npm project (the client's tarball alone cannot be: the
    // types package it depends on is not on the registry yet).
    const tarballs = join(work, 'tarballs');
    const packed = await run(
      'pnpm',
      ['run', 'pack:all', '--out', tarballs, '--only', 'client,receiver'],
      repo,
    );
    const install = /^ {2}(npm install .+)$/m.exec(packed)?.[1] ?? '';
    expect(
      install
        .split(' ')
        .slice(2)
        .map((path) => path.slice(tarballs.length + 1)),
    ).toEqual([
      expect.stringMatching(/^realtimekit-webhooks-client-.+\.tgz$/),
      expect.stringMatching(/^realtimekit-webhooks-receiver-.+\.tgz$/),
      expect.stringMatching(/^realtimekit-webhooks-types-.+\.tgz$/),
    ]);
    const trial = join(work, 'trial');
    await mkdir(trial);
    await run('npm', ['init', '-y'], trial);
    await expect(
      run('npm', ['install', install.split(' ')[2] ?? '', '--no-save'], trial),
    ).rejects.toThrow(/@realtimekit-webhooks\/types/);
    await run('npm', install.split(' ').slice(1), trial);
    const loaded = await run(
      'node',
      [
        '--input-type=module',
        '-e',
        "const c = await import('@realtimekit-webhooks/client'); const r = await import('@realtimekit-webhooks/receiver'); console.log(typeof c.createRealtimeKitClient, typeof r.createWebhookReceiver);",
      ],
      trial,
    );
    expect(loaded.trim()).toBe('function function');

    // pnpm 12 takes the publish token only from an .npmrc (it does not expand ${VAR} there, so the
    // token is written literally); this copy is thrown away.
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
        '@types/node',
      ],
      consumer,
    );
    const lock = await readFile(join(consumer, 'package-lock.json'), 'utf8');
    expect(lock).not.toContain('workspace:');
    expect(lock).not.toContain('link:');
    // What npm shows of each: its README, license, the changelog changesets wrote, its repository.
    for (const name of ['types', 'client', 'receiver']) {
      const installed = join(consumer, 'node_modules', '@realtimekit-webhooks', name);
      const changelog = await readFile(join(installed, 'CHANGELOG.md'), 'utf8');
      expect(changelog).toContain(`## ${version}`);
      expect(await readFile(join(installed, 'README.md'), 'utf8')).toContain(
        `# @realtimekit-webhooks/${name}`,
      );
      expect(await readFile(join(installed, 'LICENSE'), 'utf8')).toContain('MIT License');
      const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8'));
      expect(manifest.repository).toMatchObject({ directory: `packages/${name}` });
    }

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
          types: ['node'],
        },
        include: ['consumer.ts'],
      }),
    );
    // Against the stateful mock (this repo's kit, started by the test): create, list, update and
    // delete; a 503 after the API acted still leaves exactly one webhook; a delivery the mock signs
    // verifies with a receiver pointed at the mock's key URL.
    await writeFile(
      join(consumer, 'consumer.ts'),
      `import { createServer } from 'node:http';
import { createRealtimeKitClient, ValidationError, type Webhook } from '@realtimekit-webhooks/client';
import { createWebhookReceiver, type Delivery } from '@realtimekit-webhooks/receiver';
import { verifyNodeRequest } from '@realtimekit-webhooks/receiver/node';

const [baseUrl, keyUrl, controlUrl] = process.argv.slice(2) as [string, string, string];
const control = (path: string, body: unknown) => fetch(controlUrl + '/__mock/' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
const rtk = createRealtimeKitClient({ apiToken: 'consumer-token', accountId: 'acc', appId: 'app', baseUrl, backoff: { initialMs: 10 } });
const request = { name: 'consumer', url: 'https://consumer.example/rtk', events: ['meeting.started' as const] };
const created: Webhook = await rtk.webhooks.create(request);
const updated = await rtk.webhooks.update(created.id, { enabled: false });
await rtk.webhooks.delete(created.id);
const afterDelete = (await rtk.webhooks.list()).length;
await control('faults', { kind: 'status', status: 503, after: true, match: { method: 'POST' } });
const survivor = await rtk.webhooks.create(request);
const named = (await rtk.webhooks.list()).filter((w) => w.name === 'consumer');
const refused = await rtk.webhooks.get('not-a-uuid').catch((e: unknown) => e instanceof ValidationError);

const receiver = createWebhookReceiver({ keyUrl });
let delivery: Delivery | undefined;
const server = createServer(async (req, res) => {
  delivery = await verifyNodeRequest(receiver, req);
  res.writeHead(204).end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as { port: number }).port;
const sent = await control('deliver', { event: 'meeting.started', to: 'http://127.0.0.1:' + port + '/rtk' });
server.close();
console.log(JSON.stringify({ updated: updated.enabled, afterDelete, exactlyOne: named.length === 1 && named[0]?.id === survivor.id, refused, status: sent.status, event: delivery?.event }));
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
      [join(consumer, 'out', 'consumer.js'), mock.baseUrl, mock.keyUrl, mock.controlUrl],
      consumer,
    );
    expect(JSON.parse(output)).toEqual({
      updated: false,
      afterDelete: 0,
      exactlyOne: true,
      refused: true,
      status: 204,
      event: 'meeting.started',
    });
    expect(await mock.webhooks()).toHaveLength(1);

    // 5. The CLI alone, without the mock and Prism: small, and --mock says what to install.
    const operator = join(work, 'operator');
    await mkdir(operator);
    await run('npm', ['init', '-y'], operator);
    const cliVersion = JSON.parse(await readFile(join(repo, 'packages/cli/package.json'), 'utf8'))
      .version as string;
    await run('npm', ['install', `@realtimekit-webhooks/cli@${cliVersion}`], operator);
    const installed = Number(
      (await run('du', ['-sk', join(operator, 'node_modules')], operator)).split('\t')[0],
    );
    expect(installed * 1024).toBeLessThanOrEqual(5 * 1024 * 1024);
    await expect(
      run(join(operator, 'node_modules', '.bin', 'rtk-webhooks'), ['--mock', 'list'], operator),
    ).rejects.toThrow(
      /--mock needs the package @realtimekit-webhooks\/mock, found neither next to this CLI nor in \S+ or a folder above it: npm install --save-dev @realtimekit-webhooks\/mock/,
    );
    // trigger --to signs with a fresh key from the receiver's testing kit: no mock needed (port 9
    // on loopback has no listener, so it gets as far as sending).
    await expect(
      run(
        join(operator, 'node_modules', '.bin', 'rtk-webhooks'),
        ['trigger', 'meeting.ended', '--to', 'http://127.0.0.1:9/rtk'],
        operator,
      ),
    ).rejects.toThrow(/could not reach http:\/\/127\.0\.0\.1:9\/rtk/);

    // 6. Then the mock beside it (Prism and its ~190 packages, mirrored from this workspace's
    // install, oldest version of each name first so `latest` ends on the newest), and --mock runs.
    const foreign = [
      ...productionClosure('@realtimekit-webhooks/mock', join(root, 'packages', 'cli')).values(),
    ]
      .filter((p) => !p.name.startsWith('@realtimekit-webhooks/'))
      .sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
    const byName = new Map<string, typeof foreign>();
    for (const p of foreign) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
    const queue = [...byName.values()];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let versions = queue.shift(); versions; versions = queue.shift()) {
          for (const p of versions) await mirrorDir(p.dir);
        }
      }),
    );
    // The same overrides as this workspace (pnpm-workspace.yaml), so npm builds the same tree.
    const overrides = parse(await readFile(join(root, 'pnpm-workspace.yaml'), 'utf8')).overrides;
    await run('npm', ['pkg', 'set', '--json', `overrides=${JSON.stringify(overrides)}`], operator);
    const mockVersion = JSON.parse(await readFile(join(repo, 'packages/mock/package.json'), 'utf8'))
      .version as string;
    await run('npm', ['install', `@realtimekit-webhooks/mock@${mockVersion}`], operator);
    const added = await run(
      join(operator, 'node_modules', '.bin', 'rtk-webhooks'),
      [
        '--mock',
        'add',
        '--name',
        'ops',
        '--url',
        'https://ops.example/rtk',
        '--events',
        'meeting.ended',
        '--json',
      ],
      operator,
    );
    expect(JSON.parse(added)).toMatchObject({
      name: 'ops',
      url: 'https://ops.example/rtk',
      enabled: true,
    });
  }, 600_000);
});
