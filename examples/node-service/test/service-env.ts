import type { StatefulMockServer } from '@realtimekit-webhooks/mock';

/** The service's environment against the stateful mock (throwaway credentials), plus `extra`. */
export function serviceEnv(mock: StatefulMockServer, extra: Record<string, string> = {}) {
  return {
    CLOUDFLARE_API_TOKEN: 'throwaway-token',
    CLOUDFLARE_ACCOUNT_ID: 'acc',
    REALTIMEKIT_APP_ID: 'app',
    RTK_API_BASE_URL: mock.baseUrl,
    RTK_WEBHOOK_KEY_URL: mock.keyUrl,
    PUBLIC_URL: 'https://billing.example.com/',
    PORT: '0',
    ...extra,
  };
}
