// pnpm spec:upstream [--openapi <Cloudflare's openapi.json> [--source-commit <sha>]]
//                    [--write-fragment <path>] [--fragment <path>] [--spec <path>] [--intended <path>]
// Compares spec/ with Cloudflare's published description of this API and names every difference,
// each either intended (listed with its reason in spec/upstream/intended-differences.yaml) or new.
// Exit 1 on a new difference, or on a listed one that is no longer found. By default it reads the
// vendored fragment (spec/upstream/cloudflare.fragment.json); with --openapi it cuts the same
// fragment out of a whole openapi.json (the scheduled drift workflow passes the latest one), and
// --write-fragment saves that cut, to vendor it once its differences are reviewed.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  intendedDifferencesPath,
  specPath,
  upstreamFragmentPath,
} from '@realtimekit-webhooks/spec';
import { parse } from 'yaml';
import { classify, upstreamDifferences } from './lib/upstream-diff.mjs';
import { extractFragment } from './lib/upstream-fragment.mjs';

const { values: args } = parseArgs({
  options: {
    openapi: { type: 'string' },
    'source-commit': { type: 'string' },
    'write-fragment': { type: 'string' },
    fragment: { type: 'string', default: upstreamFragmentPath },
    spec: { type: 'string', default: specPath },
    intended: { type: 'string', default: intendedDifferencesPath },
  },
});

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const fragment = args.openapi
  ? extractFragment(readJson(args.openapi), {
      repository: 'https://github.com/cloudflare/api-schemas',
      file: 'openapi.json',
      ...(args['source-commit'] ? { commit: args['source-commit'] } : {}),
      what: "The RealtimeKit webhooks paths of Cloudflare's published API description, with every component they use and every realtimekit_* webhook schema, cut by scripts/lib/upstream-fragment.mjs.",
    })
  : readJson(args.fragment);
if (args['write-fragment'])
  writeFileSync(args['write-fragment'], `${JSON.stringify(fragment, null, 2)}\n`);

const source = fragment['x-source'] ?? {};
const where = `${source.commit ? source.commit.slice(0, 8) : 'an unnamed commit'}${source.commit_date ? ` (${source.commit_date})` : ''}`;
const differences = upstreamDifferences(parse(readFileSync(args.spec, 'utf8')), fragment);
const found = classify(differences, parse(readFileSync(args.intended, 'utf8')) ?? []);

console.log(
  `spec:upstream: spec/ against Cloudflare's description at ${where}: ${differences.length} differences, ${found.intended.length} intended, ${found.new.length} new`,
);
if (found.new.length > 0) {
  console.log('\nNew differences (not in spec/upstream/intended-differences.yaml):');
  for (const difference of found.new) console.log(`  new: ${difference}`);
  console.log(
    '\nFor each: change the spec to agree with Cloudflare (then `pnpm generate`, a changeset), or,' +
      ' if spec/ is right to differ, list the line in spec/upstream/intended-differences.yaml with the reason.',
  );
}
if (found.stale.length > 0) {
  console.log('\nListed as intended but no longer found (take them out of the file):');
  for (const difference of found.stale) console.log(`  stale: ${difference}`);
}
process.exit(found.new.length + found.stale.length > 0 ? 1 : 0);
