// `pnpm site`: builds the documentation site into dist/. (Not `pnpm docs`: that is a built-in
// pnpm command.)
//   dist/api/       the API reference, rendered from the spec by Redoc (Redocly CLI `build-docs`)
//   dist/packages/  each package's manual (its README) and public API (TypeDoc)
//   dist/cli/       the CLI's commands, from its own help
//   dist/index.html a landing page linking them, with the packages' version
// The site is self-contained: Redoc's scripts are inlined and nothing is loaded from elsewhere,
// so it can be hosted anywhere and read offline.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runRedocly } from '@realtimekit-webhooks/codegen/redocly';
import { specPath } from '@realtimekit-webhooks/spec';
import { Application, OptionDefaults } from 'typedoc';
import { parse } from 'yaml';
import { cliPage, commandsIn } from './cli-page.js';
import { DOCUMENTED_PACKAGES } from './documented-packages.js';
import { landingPage } from './landing-page.js';

const out = fileURLToPath(new URL('./dist/', import.meta.url));
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'api'), { recursive: true });

// 1. The API reference. Telemetry off (runRedocly): the page would otherwise report readers to
// Redocly.
const apiPage = join(out, 'api', 'index.html');
runRedocly(['build-docs', specPath, '--inlineBundle', '--output', apiPage]);
console.log('API reference written');
// With --inlineBundle only the sidebar's Redocly logo still comes from Redocly's CDN: point it at
// an empty image instead, and fail loudly if a Redoc update moves it (the browser test would too).
const CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini-full.svg';
const html = readFileSync(apiPage, 'utf8');
if (!html.includes(CDN_LOGO)) {
  throw new Error(
    `${CDN_LOGO} is no longer in Redoc's page: check what it loads from the network now`,
  );
}
const EMPTY_IMAGE = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";
writeFileSync(apiPage, html.replaceAll(CDN_LOGO, EMPTY_IMAGE));

// 2. One TypeDoc site per package, from the entry points its package.json exports.
const require = createRequire(import.meta.url);
for (const name of DOCUMENTED_PACKAGES) {
  const manifestPath = require.resolve(`${name}/package.json`);
  const dir = dirname(manifestPath);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entryPoints = Object.values(manifest.exports)
    .filter((target) => typeof target === 'object' && target.types)
    .map((target) =>
      join(dir, target.types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')),
    );
  for (const entry of entryPoints) {
    if (!existsSync(entry))
      throw new Error(`${name}: no source ${entry} for an exported entry point`);
  }
  const app = await Application.bootstrap({
    name,
    entryPoints,
    tsconfig: join(dir, 'tsconfig.json'),
    // The package's manual is its front page; the package's version is in its title.
    readme: join(dir, 'README.md'),
    includeVersion: true,
    // openapi-typescript writes spec descriptions as @description and marks consts @constant.
    blockTags: [...OptionDefaults.blockTags, '@description'],
    modifierTags: [...OptionDefaults.modifierTags, '@constant'],
    excludePrivate: true,
    excludeInternal: true,
    githubPages: false,
    // No public repository URL to link sources to yet (see the package READMEs).
    disableSources: true,
    hideGenerator: true,
    logLevel: 'Warn',
    treatWarningsAsErrors: false,
  });
  const project = await app.convert();
  if (!project) throw new Error(`TypeDoc could not read ${name}`);
  await app.generateDocs(project, join(out, 'packages', name.split('/')[1]));
}

// 3. The CLI's page, from the built program's own help.
const cliManifest = require.resolve('@realtimekit-webhooks/cli/package.json');
const cliBin = join(
  dirname(cliManifest),
  JSON.parse(readFileSync(cliManifest, 'utf8')).bin['rtk-webhooks'],
);
const helpOf = (...args) => {
  const run = spawnSync(process.execPath, [cliBin, ...args, '--help'], { encoding: 'utf8' });
  if (run.status !== 0)
    throw new Error(`rtk-webhooks ${args.join(' ')} --help failed: ${run.stderr}`);
  return run.stdout.trimEnd();
};
const overview = helpOf();
const commands = commandsIn(overview).map((name) => ({ name, help: helpOf(name) }));
if (commands.length === 0) throw new Error('no command found in `rtk-webhooks --help`');
mkdirSync(join(out, 'cli'), { recursive: true });
const versionOf = (name) =>
  JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
writeFileSync(
  join(out, 'cli', 'index.html'),
  cliPage(versionOf('@realtimekit-webhooks/cli'), overview, commands),
);

// 4. The landing page.
const spec = parse(readFileSync(specPath, 'utf8'));
writeFileSync(
  join(out, 'index.html'),
  landingPage(
    spec.info,
    DOCUMENTED_PACKAGES.map((name) => ({ name, version: versionOf(name) })),
  ),
);
console.log(`site written to ${out}`);
