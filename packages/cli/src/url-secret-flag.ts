// `--url-secret-env NAME`: the URL secret read from an environment variable (never from a flag, so
// it stays out of shell history), and the URL with it.
import { withUrlSecret } from '@realtimekit-webhooks/client';
import { urlSecretProblem } from '@realtimekit-webhooks/rules';
import type { Values } from './args.js';
import { UsageError } from './usage-error.js';

/** The secret `--url-secret-env NAME` names, or undefined without the flag. */
export function urlSecretFrom(
  values: Values,
  env: Record<string, string | undefined>,
): string | undefined {
  const name = values['url-secret-env'];
  if (name === undefined) return undefined;
  const secret = env[name];
  if (secret === undefined || secret === '') {
    throw new UsageError(`--url-secret-env ${name}: the environment variable ${name} is not set`);
  }
  const problem = urlSecretProblem(secret);
  if (problem) throw new UsageError(`--url-secret-env ${name}: ${problem}`);
  return secret;
}

/** `url` with the secret in it, when there is one (a URL the client will refuse is left as it is). */
export function secured(url: string, secret: string | undefined): string {
  if (secret === undefined || !URL.canParse(url)) return url;
  return withUrlSecret(url, secret);
}
