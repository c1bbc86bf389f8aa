// A real PostgreSQL server (Debian's package) for tests and benchmarks: a throwaway cluster in a
// temp folder, on a free loopback port, without durability (fsync off: nothing here outlives the
// run), stopped by pid. PostgreSQL refuses to run as root, so as root it runs as `postgres`.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import getPort from 'get-port';
import { requiredComponent } from './required-component.js';

/** The folder of PostgreSQL's server programs (Debian keeps them off PATH), or undefined. */
export function postgresBinDir() {
  const onPath = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (onPath.status === 0 && existsSync(join(onPath.stdout.trim(), 'initdb')))
    return onPath.stdout.trim();
  const debian = '/usr/lib/postgresql';
  if (!existsSync(debian)) return undefined;
  const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(debian, v, 'bin')).find((bin) => existsSync(join(bin, 'initdb')));
}

/** Whether tests of `what` can run: throws in CI when PostgreSQL is missing, else warns. */
export function postgresServerForTests(what) {
  return requiredComponent({
    component: 'PostgreSQL (initdb, postgres)',
    installed: postgresBinDir() !== undefined,
    what,
    install: 'apt-get install postgresql',
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL program, as `postgres` when this process is root. */
function runAsServerUser(program, args) {
  const [command, argv] = isRoot()
    ? ['runuser', ['-u', 'postgres', '--', program, ...args]]
    : [program, args];
  return execFileSync(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

/** Starts a throwaway cluster; `stop()` ends it by its postmaster's pid and removes it. */
export async function startPostgresServer() {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'rtk-pg-'));
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await getPort({ host: '127.0.0.1' });
  runAsServerUser(join(bin, 'initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  runAsServerUser(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-o',
    options,
    '-l',
    join(dir, 'log'),
    '-w',
    '-t',
    '60',
    'start',
  ]);
  const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    pid,
    async stop() {
      try {
        process.kill(pid, 'SIGQUIT'); // immediate shutdown: nothing to keep
      } catch {
        // already gone
      }
      for (let waited = 0; waited < 10_000; waited += 50) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
