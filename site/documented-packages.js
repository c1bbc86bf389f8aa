/** The packages whose manual and public API the site documents (the CLI has a page of its own). */
export const DOCUMENTED_PACKAGES = [
  '@realtimekit-webhooks/client',
  '@realtimekit-webhooks/receiver',
  '@realtimekit-webhooks/mock',
  '@realtimekit-webhooks/types',
];
