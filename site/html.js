// What the site's hand-made pages share: escaping and the page around their content.

/** `text` safe inside HTML text and attribute values. */
export const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A whole page: `title`, the width of its column, and its `body` (HTML). No script. */
export function htmlPage(title, widthRem, body) {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: ${widthRem}rem; margin: 3rem auto; padding: 0 1rem; }
      pre { background: #f6f8fa; padding: 1rem; overflow-x: auto; }
      a { color: #0b57d0; }
    </style>
  </head>
  <body>
${body}
  </body>
</html>
`;
}
