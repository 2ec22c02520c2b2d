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

const RAW_STREAM = Symbol('accent-lab: the stream under a printable one');

/**
 * `stream` with every text written to it made printable (printableText): what a command prints
 * may hold names and messages that came from a file (a trace's name, a notebook's experiments, a
 * trial's error), and none of it may reach the terminal as an escape. Bytes written as a Buffer
 * pass as they are. A progress bar, which draws with escapes of its own, writes to rawStream().
 */
export function printableStream<T extends NodeJS.WritableStream>(stream: T): T {
  if ((stream as unknown as Partial<Record<symbol, unknown>>)[RAW_STREAM]) return stream;
  return new Proxy(stream, {
    get(target, property) {
      if (property === RAW_STREAM) return target;
      if (property === 'write') {
        return (chunk: unknown, ...rest: unknown[]): boolean =>
          (target.write as (...args: unknown[]) => boolean)(
            typeof chunk === 'string' ? printableText(chunk) : chunk,
            ...rest,
          );
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The stream under a printableStream (or `stream` itself): for a progress bar's own escapes. */
export function rawStream<T extends NodeJS.WritableStream>(stream: T): T {
  return (stream as unknown as Partial<Record<symbol, T>>)[RAW_STREAM] ?? stream;
}
