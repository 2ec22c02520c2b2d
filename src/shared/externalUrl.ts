/**
 * Which links the app may hand to the user's browser, the same rule in the desktop app's main
 * process (src/main/electron/externalLinks.ts) and the renderer (notebook links): pure code.
 */

/** Why `url` is not opened, or null when it may be (after the user agreed). */
export function externalUrlProblem(url: unknown): string | null {
  if (typeof url !== 'string' || url.length === 0) return 'it is not a link';
  if (url.length > 8192) return 'it is longer than 8,192 characters';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'it is not a well-formed address';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'only http: and https: links open';
  if (parsed.hostname.length === 0) return 'it names no host';
  // Credentials in a link hide where it really goes (https://bank.example@evil.example/).
  if (parsed.username !== '' || parsed.password !== '') {
    return `it carries a user name or password before its host, which hides where it goes: its host is ${parsed.hostname}`;
  }
  return null;
}

/** True only for a well-formed http: or https: URL with a host and no credentials. */
export function isOpenableExternalUrl(url: unknown): url is string {
  return externalUrlProblem(url) === null;
}
