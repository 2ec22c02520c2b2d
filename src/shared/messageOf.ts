/**
 * A thrown value in words, as the app shows it: an Error's message, anything else as text. One
 * home for the "unknown error to message" rule of the renderer, host services, web adapter and
 * CLI. (Host-side code that wants the error's code too has src/node/poolOptions.ts `errorMessage`.)
 */
export function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
