// The CLI's page, generated from the program's own help (`rtk-webhooks --help` and each
// command's `--help`), so it cannot drift from what the CLI prints. Plain HTML, no script.

import { escapeHtml, htmlPage } from './html.js';

/** The command names listed under "Commands:" in the top-level help. */
export function commandsIn(help) {
  const section = /^Commands:\n([\s\S]*?)\n\n/m.exec(help)?.[1] ?? '';
  return section
    .split('\n')
    .map((line) => /^\s+([a-z][\w-]*)/.exec(line)?.[1])
    .filter((name) => name !== undefined);
}

/** The page: the overview, then each command's help under a heading of its own. */
export function cliPage(version, overview, commands) {
  const sections = commands
    .map(
      ({ name, help }) =>
        `<section id="${escapeHtml(name)}">\n      <h2><code>rtk-webhooks ${escapeHtml(name)}</code></h2>\n      <pre>${escapeHtml(help)}</pre>\n    </section>`,
    )
    .join('\n    ');
  const toc = commands
    .map(
      ({ name }) => `<li><a href="#${escapeHtml(name)}"><code>${escapeHtml(name)}</code></a></li>`,
    )
    .join('\n        ');
  return htmlPage(
    'rtk-webhooks: the CLI',
    52,
    `    <p><a href="../">Documentation</a></p>
    <h1><code>rtk-webhooks</code> (@realtimekit-webhooks/cli ${escapeHtml(version)})</h1>
    <pre>${escapeHtml(overview)}</pre>
    <nav>
      <h2>Commands</h2>
      <ul>
        ${toc}
      </ul>
    </nav>
    ${sections}`,
  );
}
