// Cuts the RealtimeKit webhooks part out of Cloudflare's whole published API description
// (cloudflare/api-schemas, openapi.json, over 4 MiB): the webhooks paths, every component they
// refer to, and every realtimekit_* webhook schema even when no operation uses it yet (a schema
// published ahead of its endpoint is how a new operation announces itself).
import { referencedComponents } from './upstream-diff.mjs';

/** The paths of this API: the webhooks resource of a RealtimeKit app. */
export const WEBHOOK_PATHS =
  /^\/accounts\/\{account_id\}\/realtime\/kit\/\{app_id\}\/webhooks(?:\/|$)/;
/** Schemas kept whether or not an operation uses them. */
const WEBHOOK_SCHEMAS = /^realtimekit_.*Webhook/;

/** The fragment of `openapi` (Cloudflare's whole description) for this API, with `source` as x-source. */
export function extractFragment(openapi, source) {
  const paths = Object.fromEntries(
    Object.entries(openapi.paths ?? {}).filter(([path]) => WEBHOOK_PATHS.test(path)),
  );
  if (Object.keys(paths).length === 0) {
    throw new Error('the description has no RealtimeKit webhooks path: was the right file given?');
  }
  const wanted = referencedComponents(paths, openapi);
  for (const name of Object.keys(openapi.components?.schemas ?? {})) {
    if (WEBHOOK_SCHEMAS.test(name)) {
      for (const ref of referencedComponents({ $ref: `#/components/schemas/${name}` }, openapi))
        wanted.add(ref);
    }
  }
  const components = {};
  for (const ref of [...wanted].sort()) {
    const [, kind, name] = ref.match(/^#\/components\/([^/]+)\/(.+)$/) ?? [];
    const value = openapi.components?.[kind]?.[name];
    if (value === undefined) throw new Error(`${ref} is referred to but not in the description`);
    components[kind] = { ...components[kind], [name]: value };
  }
  return { 'x-source': source, paths, components };
}
