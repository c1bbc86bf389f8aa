// The rule for every URL the packages send to (the API, the signing key): HTTPS, or plain HTTP
// only to this machine (a mock, a test server), and no user name or password in the URL. One
// place, so the client and the receiver cannot drift apart on what "loopback" means.

/**
 * True for localhost, 127.x.y.z and ::1 (also written `[::1]`, as `URL.hostname` gives it): the
 * hosts plain HTTP may go to, and the only ones a mock may listen on.
 */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '::1' ||
    hostname === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}

/** Why nothing may be sent to `url`, as the end of a sentence naming the setting; or undefined. */
export function httpsOrLoopbackProblem(url: URL): string | undefined {
  if (url.protocol === 'http:' ? !isLoopbackHost(url.hostname) : url.protocol !== 'https:') {
    return 'must use https:// (plain http:// is allowed only for localhost / 127.0.0.1 / [::1], e.g. a mock)';
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not contain a user name or password (`user@`): a credential in a URL ends up in logs';
  }
  return undefined;
}
