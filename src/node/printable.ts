/**
 * A path (or any text from outside) fit to print: control characters (C0, DEL, C1), which a
 * terminal would obey as escapes, and the bidirectional overrides that reorder what is shown, are
 * replaced by "?". Every message that names a file goes through it (issue 14, finding 5).
 */
export function printablePath(path: string): string {
  // eslint-disable-next-line no-control-regex
  return path.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}

/** Text from outside fit to print on a terminal: as printablePath, keeping line breaks and tabs. */
export function printableText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}
