/**
 * True for an https:// URL, or an http:// one on this machine (a test server, a local mock),
 * without a user name or password in it.
 */
export function isHttpsOrLoopback(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return true;
  return (
    url.protocol === 'http:' &&
    (url.hostname === 'localhost' ||
      url.hostname === '[::1]' ||
      /^127(\.\d{1,3}){3}$/.test(url.hostname))
  );
}
