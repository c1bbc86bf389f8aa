/** The packages whose public API the site documents (the CLI is a program: its README covers it). */
export const DOCUMENTED_PACKAGES = [
  '@realtimekit-webhooks/client',
  '@realtimekit-webhooks/receiver',
  '@realtimekit-webhooks/mock',
  '@realtimekit-webhooks/types',
];
