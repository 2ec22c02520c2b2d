/**
 * Which links the app may hand to the user's browser. Pure code (no `electron` import) so the
 * decision is unit-tested without the Electron binary; window.ts asks the user before opening.
 */

/** True only for a well-formed http: or https: URL with a host (no file:, javascript:, custom schemes). */
export function isOpenableExternalUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url.length === 0 || url.length > 8192) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (parsed.hostname.length === 0) return false;
  // Credentials in a link hide where it really goes (https://bank.example@evil.example/).
  return parsed.username === '' && parsed.password === '';
}

/** The text of the confirmation dialog shown before an external link opens. */
export function externalLinkPrompt(url: string): { message: string; detail: string; buttons: string[] } {
  return {
    message: 'Open this link in your browser?',
    detail: url,
    buttons: ['Cancel', 'Open Link'],
  };
}
