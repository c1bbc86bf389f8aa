// API reports: for every entry point of every published package, API Extractor's `.api.md` (the
// public surface as declarations), checked in under `packages/<name>/api/`. A change of surface
// then shows in review, and in the changeset's bump.
//   node scripts/api-report.mjs          fail when a report differs from the built packages
//   node scripts/api-report.mjs --update write the reports anew (after an intended change)
// Runs on the built declarations (dist/*.d.ts): `turbo run api:check` builds first.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';
import { publicPackages } from './lib/workspace.mjs';

const update = process.argv.includes('--update');
// `--reports <dir>`: compare with `<dir>/<package folder>/*.api.md` instead (the check's own test).
const reportsArg = process.argv.indexOf('--reports');
const reportsRoot = reportsArg === -1 ? undefined : process.argv[reportsArg + 1];
const reportFolderOf = (dir) => (reportsRoot ? join(reportsRoot, basename(dir)) : join(dir, 'api'));

/** `./node` -> `node`, `.` -> `index`: the report's file name for an export path. */
function reportName(exportPath) {
  return exportPath === '.' ? 'index' : exportPath.slice(2).replaceAll('/', '-');
}

/** The entry points with types: `[exportPath, dist/*.d.ts]`. */
function entryPoints(manifest) {
  return Object.entries(manifest.exports ?? {}).flatMap(([path, target]) =>
    typeof target === 'object' && typeof target.types === 'string' ? [[path, target.types]] : [],
  );
}

/** The names of top-level declarations the report marks `// (undocumented)`. */
function undocumentedExports(report) {
  const lines = report.split('\n');
  return lines.flatMap((line, i) => {
    const next = lines[i + 1] ?? '';
    if (line !== '// @public (undocumented)' && line !== '// (undocumented)') return [];
    if (/^\s/.test(next)) return []; // a member: shown in the report for review
    return [/(?:function|class|interface|type|const|let)\s+([\w$]+)/.exec(next)?.[1] ?? next];
  });
}

const temp = mkdtempSync(join(tmpdir(), 'api-report-'));
const problems = [];
let checked = 0;
try {
  for (const { dir, manifest } of publicPackages()) {
    /** Symbols an entry's declarations use but that entry does not export. */
    const forgottenBy = [];
    const reports = new Map();
    for (const [exportPath, types] of entryPoints(manifest)) {
      const name = reportName(exportPath);
      mkdirSync(reportFolderOf(dir), { recursive: true });
      const config = ExtractorConfig.prepare({
        configObject: {
          projectFolder: dir,
          newlineKind: 'lf',
          mainEntryPointFilePath: join(dir, types),
          compiler: { tsconfigFilePath: join(dir, 'tsconfig.build.json') },
          apiReport: {
            enabled: true,
            reportFolder: reportFolderOf(dir),
            reportTempFolder: temp,
            reportFileName: `${name}.api.md`,
          },
          docModel: { enabled: false },
          dtsRollup: { enabled: false },
          tsdocMetadata: { enabled: false },
          messages: {
            compilerMessageReporting: { default: { logLevel: 'warning' } },
            extractorMessageReporting: {
              default: { logLevel: 'warning' },
              // Judged below: a subpath may use what the package's main entry exports.
              'ae-forgotten-export': { logLevel: 'warning', addToApiReportFile: false },
              // No release tags (@public, @beta): every export is public; semver covers all.
              'ae-missing-release-tag': { logLevel: 'none' },
              // Judged from the report below: exports must be documented; an undocumented
              // member is marked `// (undocumented)` in the report for review. Not listed again
              // at the report's end: that list carries source line numbers, so any edit above a
              // declaration would read as a change of surface.
              'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
            },
            tsdocMessageReporting: { default: { logLevel: 'none' } },
          },
        },
        packageJsonFullPath: join(dir, 'package.json'),
        configObjectFullPath: undefined,
      });
      const messages = [];
      const result = Extractor.invoke(config, {
        localBuild: update,
        showVerboseMessages: false,
        messageCallback(message) {
          const forgotten = /^The symbol "([\w$]+)" needs to be exported/.exec(message.text);
          if (forgotten) forgottenBy.push({ entry: exportPath, symbol: forgotten[1] });
          else if (message.logLevel === ExtractorLogLevel.Warning || message.logLevel === 'error') {
            messages.push(message.formatMessageWithoutLocation?.() ?? message.text);
          }
          message.handled = true;
        },
      });
      checked += 1;
      const where = `${manifest.name}${exportPath === '.' ? '' : exportPath.slice(1)}`;
      for (const text of messages) problems.push(`${where}: ${text}`);
      const report = readFileSync(
        join(update ? reportFolderOf(dir) : temp, `${name}.api.md`),
        'utf8',
      );
      reports.set(exportPath, report);
      for (const exported of undocumentedExports(report)) {
        problems.push(
          `${where}: export ${exported} has no documentation comment (TSDoc /** ... */)`,
        );
      }
      if (result.apiReportChanged && !update) {
        problems.push(
          `${where}: its public surface differs from packages/${dir.split('/').at(-1)}/api/${name}.api.md. If the change is intended, run \`pnpm api:update\`, commit the report, and give the changeset the bump it calls for (a removed or changed export is major).`,
        );
      }
    }
    // A subpath may use a type its package's main entry exports (a user imports it from there);
    // anything else an entry uses but nobody exports is a hole in the surface.
    const main = reports.get('.') ?? '';
    for (const { entry, symbol } of forgottenBy) {
      const exportedByMain = new RegExp(
        `^export (?:declare )?\\w+ ${symbol.replace('$', '\\$')}\\b`,
        'm',
      );
      if (entry !== '.' && exportedByMain.test(main)) continue;
      problems.push(
        `${manifest.name}${entry === '.' ? '' : entry.slice(1)}: uses ${symbol}, which no entry point of the package exports: export it (documented) or stop using it in public signatures`,
      );
    }
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`${checked} API reports ${update ? 'written' : 'match the built packages'}.`);
