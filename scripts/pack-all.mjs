// `pnpm pack:all [--out dir] [--only client,receiver]`: packs every public package (or the named
// ones and the workspace packages they depend on) into one folder, and prints the one npm command
// that installs them into another project. For trying the packages before they are published:
// a tarball of the client alone fails to install, since the types package it depends on is not on
// the registry yet; installed together, npm takes each from its tarball.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { publicPackages, root } from './lib/workspace.mjs';

const { values } = parseArgs({
  options: { out: { type: 'string' }, only: { type: 'string' } },
});
const out = resolve(values.out ?? join(root, 'tarballs'));
const packages = publicPackages();
const byName = new Map(packages.map((p) => [p.manifest.name, p]));
const short = (name) => name.replace('@realtimekit-webhooks/', '');

/** The named packages and every workspace package their dependencies reach. */
function closure(names) {
  const wanted = new Set();
  const visit = (name) => {
    const found = byName.get(name) ?? byName.get(`@realtimekit-webhooks/${name}`);
    if (!found) {
      console.error(
        `pack:all: no public package "${name}" (one of: ${packages.map((p) => short(p.manifest.name)).join(', ')})`,
      );
      process.exit(2);
    }
    if (wanted.has(found.manifest.name)) return;
    wanted.add(found.manifest.name);
    for (const dependency of Object.keys(found.manifest.dependencies ?? {})) {
      if (byName.has(dependency)) visit(dependency);
    }
  };
  for (const name of names) visit(name.trim());
  return packages.filter((p) => wanted.has(p.manifest.name));
}

const chosen = values.only ? closure(values.only.split(',').filter(Boolean)) : packages;
// pnpm pack writes `workspace:*` ranges as the versions they stand for, as a publish would.
const pnpm = process.env.npm_execpath;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const { dir } of chosen) {
  const [command, ...args] = pnpm?.endsWith('js') ? [process.execPath, pnpm] : ['pnpm'];
  execFileSync(command, [...args, 'pack', '--pack-destination', out], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
const tarballs = readdirSync(out)
  .filter((file) => file.endsWith('.tgz'))
  .map((file) => join(out, file));
console.log(
  [
    `Packed ${tarballs.length} packages (${chosen.map((p) => short(p.manifest.name)).join(', ')}) into ${out}.`,
    'Install them in another project with this one command (all together: npm takes each',
    'workspace dependency from its tarball, since it is not on the registry yet):',
    '',
    `  npm install ${tarballs.join(' ')}`,
  ].join('\n'),
);
