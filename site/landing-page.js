// The site's front page: what the project is, and where each reference is, with the version of
// the packages it documents. Plain HTML, no script.

import { escapeHtml, htmlPage } from './html.js';

/** The page for the spec's `info` and the documented packages (`{ name, version }`). */
export function landingPage(info, packages) {
  const items = packages
    .map(
      ({ name, version }) =>
        `<li><a href="packages/${escapeHtml(name.split('/')[1])}/">${escapeHtml(name)}</a> ${escapeHtml(version)}: its manual and API reference</li>`,
    )
    .join('\n      ');
  return htmlPage(
    `${info.title}: documentation`,
    42,
    `    <h1>${escapeHtml(info.title)}</h1>
    <p>${escapeHtml(info.summary ?? '')}</p>
    <h2>Packages</h2>
    <ul>
      ${items}
    </ul>
    <h2><a href="cli/">The CLI</a></h2>
    <p>Every command of <code>rtk-webhooks</code>, from its own help.</p>
    <h2><a href="api/">API reference</a></h2>
    <p>Every operation, every delivery event with its payload, errors and examples, rendered from the
      OpenAPI description the packages are generated from.</p>`,
  );
}
