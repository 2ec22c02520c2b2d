/**
 * Which links the app may hand to the user's browser. Pure code (no `electron` import) so the
 * decision is unit-tested without the Electron binary; window.ts asks the user before opening.
 */

export { isOpenableExternalUrl } from '../../shared/externalUrl';

/** The text of the confirmation dialog shown before an external link opens. */
export function externalLinkPrompt(url: string): { message: string; detail: string; buttons: string[] } {
  return {
    message: 'Open this link in your browser?',
    detail: url,
    buttons: ['Cancel', 'Open Link'],
  };
}
