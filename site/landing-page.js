// The site's front page: what the project is, and where each reference is, with the version of
// the packages it documents. Plain HTML, no script.

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page for the spec's `info` and the documented packages (`{ name, version }`). */
export function landingPage(info, packages) {
  const items = packages
    .map(
      ({ name, version }) =>
        `<li><a href="packages/${escapeHtml(name.split('/')[1])}/">${escapeHtml(name)}</a> ${escapeHtml(version)}: its manual and API reference</li>`,
    )
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(info.title)}: documentation</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 3rem auto; padding: 0 1rem; }
      a { color: #0b57d0; }
    </style>
  </head>
  <body>
    <h1>${escapeHtml(info.title)}</h1>
    <p>${escapeHtml(info.summary ?? '')}</p>
    <h2>Packages</h2>
    <ul>
      ${items}
    </ul>
    <h2><a href="cli/">The CLI</a></h2>
    <p>Every command of <code>rtk-webhooks</code>, from its own help.</p>
    <h2><a href="api/">API reference</a></h2>
    <p>Every operation, every delivery event with its payload, errors and examples, rendered from the
      OpenAPI description the packages are generated from.</p>
  </body>
</html>
`;
}
