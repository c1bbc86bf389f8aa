// A throwaway Verdaccio on loopback for the release test: no uplinks, so nothing it serves comes
// from beyond this machine. Started by pid, stopped by pid.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import getPort from 'get-port';

/** Starts Verdaccio with its storage in `dir`; resolves with its URL, a publish token and stop(). */
export async function startLocalRegistry(dir) {
  await mkdir(join(dir, 'storage'), { recursive: true });
  const config = join(dir, 'config.yaml');
  await writeFile(
    config,
    [
      'storage: ./storage',
      'auth:',
      '  htpasswd:',
      '    file: ./htpasswd',
      'uplinks: {}',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const port = await getPort({ host: '127.0.0.1' });
  const bin = join(
    dirname(createRequire(import.meta.url).resolve('verdaccio/package.json')),
    'bin',
    'verdaccio',
  );
  const child = spawn(
    process.execPath,
    [bin, '--config', config, '--listen', `127.0.0.1:${port}`],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`Verdaccio exited:\n${output}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) break;
    } catch {}
    if (i > 600) {
      await stop();
      throw new Error(`Verdaccio did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // A user for publishing; the password is made up here and thrown away with the storage.
  const response = await fetch(`${url}-/user/org.couchdb.user:release-test`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'release-test', password: `pw-${port}-${Date.now()}` }),
  });
  const { token } = await response.json();
  if (!token) throw new Error(`Verdaccio gave no token (${response.status})`);
  return { url, port, token, pid: child.pid, stop };
}

/**
 * Publishes the package in `dir` (a plain copy, not pnpm's hard links) to the registry at `url`
 * the way `npm publish` does (a PUT of the manifest with the tarball attached), without starting
 * an npm process: mirroring Prism's ~190 dependencies this way takes seconds instead of minutes.
 * The tarball is made by the system's tar with npm's `package/` prefix.
 */
export async function publishDirectory(dir, { url, token }) {
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  const { name, version } = manifest;
  const tarballPath = `${dir}.tgz`;
  await new Promise((resolve, reject) =>
    execFile(
      'tar',
      [
        '-czf',
        tarballPath,
        '--transform',
        's,^\\.,package,',
        '--exclude',
        './node_modules',
        '-C',
        dir,
        '.',
      ],
      (error) => (error ? reject(error) : resolve()),
    ),
  );
  const tarball = await readFile(tarballPath);
  const file = `${name.split('/').at(-1)}-${version}.tgz`;
  delete manifest.publishConfig;
  const body = {
    _id: name,
    name,
    'dist-tags': { latest: version },
    versions: {
      [version]: {
        ...manifest,
        _id: `${name}@${version}`,
        dist: {
          shasum: createHash('sha1').update(tarball).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
          tarball: `${url}${name}/-/${file}`,
        },
      },
    },
    _attachments: {
      [file]: {
        content_type: 'application/octet-stream',
        data: tarball.toString('base64'),
        length: tarball.length,
      },
    },
  };
  const response = await fetch(`${url}${name.replace('/', '%2f')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(
      `publishing ${name}@${version} failed: ${response.status} ${await response.text()}`,
    );
}
