// The one redirect rule: the packages never follow a redirect (a followed redirect re-sends the
// request, perhaps over plain HTTP, or after the API already acted), so they must recognise one.

/** True for a 3xx status, or a browser's opaque redirect (status 0 with `redirect: 'manual'`). */
export function isRedirectStatus(status: number): boolean {
  return status === 0 || (status >= 300 && status < 400);
}
