// The client's name for the shared URL-secret rule (packages/rules), declared here so the
// published declarations describe it without naming the private package it is inlined from.
import { withUrlSecret as addUrlSecret } from '@realtimekit-webhooks/rules';

/**
 * `url` with `secret` as its `rtk_secret` query parameter (replacing any there): the URL to
 * register, so the receiver's `urlSecret` can tell deliveries meant for you from any other
 * RealtimeKit customer's. Throws a TypeError when `secret` is not 16 to 256 URL-safe characters.
 */
export const withUrlSecret: (url: string, secret: string) => string = addUrlSecret;
