// Everything the service needs, from environment variables.

export interface ServiceConfig {
  /** Port to listen on (0: any free port). */
  port: number;
  /** The public base URL RealtimeKit reaches this service at; the webhook is `${publicUrl}/rtk`. */
  publicUrl: string;
  /** The name that identifies this service's webhook (ensure() matches on it). */
  webhookName: string;
  /** The API base URL; unset means the real Cloudflare API. */
  apiBaseUrl: string | undefined;
  /** SPKI PEM key to verify deliveries with; unset means the key at `keyUrl`. */
  publicKey: string | undefined;
  /** Where the signing key is fetched; unset means RealtimeKit's published key URL. */
  keyUrl: string | undefined;
  /** A Redis shared by every replica for de-duplication; unset means this process's memory. */
  redisUrl: string | undefined;
}

/** Reads the config; the client itself reads CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID, REALTIMEKIT_APP_ID. */
export function readConfig(env: Record<string, string | undefined>): ServiceConfig {
  const publicUrl = env.PUBLIC_URL;
  if (!publicUrl)
    throw new Error('Set PUBLIC_URL to the https:// address RealtimeKit can reach this service at');
  return {
    port: Number(env.PORT ?? 8787),
    publicUrl: publicUrl.replace(/\/+$/, ''),
    webhookName: env.WEBHOOK_NAME ?? 'node-service',
    apiBaseUrl: env.RTK_API_BASE_URL || undefined,
    publicKey: env.RTK_WEBHOOK_PUBLIC_KEY || undefined,
    keyUrl: env.RTK_WEBHOOK_KEY_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
  };
}
