// The release note of a spec change in a caller's words: what changed per operation, delivery
// and field, and whether it breaks. Built from the same comparison as spec:breaking (diffSpecs),
// so the note and the version bump can never disagree.
import { requiredBump, SPEC_PACKAGES } from './release-guard.mjs';

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'];

/** The name a caller knows each `METHOD path` (operation) or `POST event` (delivery) by. */
function subjects(...specs) {
  const names = new Map();
  for (const spec of specs) {
    for (const [path, item] of Object.entries(spec.paths ?? {})) {
      for (const method of METHODS) {
        const operation = item[method];
        if (operation)
          names.set(
            `${method.toUpperCase()} ${path}`,
            `\`${operation.operationId}\` (${method.toUpperCase()} ${path})`,
          );
      }
    }
    for (const event of Object.keys(spec.webhooks ?? {}))
      names.set(`POST ${event}`, `delivery \`${event}\``);
  }
  return names;
}

/** `where` (as diffSpecs writes it) as the subject and the part of it that changed. */
function locate(where, names) {
  const key = [...names.keys()]
    .filter((name) => where === name || where.startsWith(`${name} `))
    .sort((a, b) => b.length - a.length)[0];
  if (!key)
    return {
      subject: where.replace(/^#\/components\/schemas\//, 'type `').replace(/^(type `.*)$/, '$1`'),
      part: '',
    };
  const subject = names.get(key);
  const rest = where.slice(key.length).trim();
  const field = (text) => (text.replace(/^\./, '') ? ` \`${text.replace(/^\./, '')}\`` : '');
  if (rest.startsWith('body')) {
    return {
      subject,
      part: `${subject.startsWith('delivery') ? 'payload' : 'request body'}${field(rest.slice(4))}`,
    };
  }
  const response = /^(\d{3}|default|\dXX)(.*)$/.exec(rest);
  if (response) return { subject, part: `response ${response[1]}${field(response[2] ?? '')}` };
  return { subject, part: rest ? `parameter ${rest}` : '' };
}

/** The markdown list of what changed for callers, grouped by operation, delivery or type. */
export function changesNote({ level, changes }, before, after, base) {
  const names = subjects(before, after);
  const groups = new Map();
  for (const change of changes) {
    const { subject, part } = locate(change.where, names);
    const line = `${part ? `${part}: ` : ''}${change.message}${change.level === 'breaking' ? ' **(breaking)**' : ''}`;
    groups.set(subject, [...(groups.get(subject) ?? []), line]);
  }
  const verdict =
    level === 'breaking'
      ? '**Breaking**: code written against the last release may need changes where marked.'
      : 'Additive: nothing a caller wrote against the last release breaks.';
  const list = [...groups].flatMap(([subject, lines]) => [
    `- ${subject}`,
    ...lines.map((line) => `  - ${line}`),
  ]);
  const since = /^[0-9a-f]{40}$/.test(base) ? `commit ${base.slice(0, 7)}` : base;
  return [`What changed for callers in the spec since ${since}. ${verdict}`, '', ...list].join(
    '\n',
  );
}

/** The generated changeset: every spec package bumped as the change needs, and the note. */
export function changesChangeset(diff, before, after, base, versions) {
  const bumps = SPEC_PACKAGES.map(
    (name) => `'${name}': ${requiredBump(diff.level, versions[name])}`,
  );
  return [
    '---',
    ...bumps,
    '---',
    '',
    '<!-- Written by `pnpm spec:changes` from the spec; do not edit by hand (CI checks it). -->',
    changesNote(diff, before, after, base),
    '',
  ].join('\n');
}
