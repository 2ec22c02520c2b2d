import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress';
import { printableStream, rawStream } from '../../src/node/printable';

/** A terminal-like stream that keeps what is written to it. */
function terminal(): { stream: NodeJS.WriteStream; written: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns: 120 });
  return { stream, written: () => chunks.join('') };
}

describe('printableStream (issue 14, finding 8)', () => {
  it('replaces control characters in text, keeps line breaks and tabs, passes bytes as they are', () => {
    const { stream, written } = terminal();
    const printable = printableStream(stream);
    printable.write('trial ev\u001b[31mil\u0007\u009b2J\u202e failed:\tno metrics\r\n');
    printable.write(Buffer.from([0x1b, 0x5b]));
    expect(written()).toBe('trial ev?[31mil??2J? failed:\tno metrics?\n\u001b[');
    // The stream's own properties are there; wrapping twice wraps once.
    expect(printable.isTTY).toBe(true);
    expect(printableStream(printable)).toBe(printable);
    expect(rawStream(printable)).toBe(stream);
    expect(rawStream(stream)).toBe(stream);
  });

  it('lets a progress bar draw with its own escapes, and makes its label printable', () => {
    const { stream, written } = terminal();
    const progress = createProgress({ stream: printableStream(stream) });
    progress.start(2);
    progress.update(1, 'Minprog\u001b]0;owned\u0007/pure-iou');
    progress.stop();
    const text = written();
    // cli-progress hides the cursor and rewrites its line with escapes: they reach the terminal.
    expect(text).toContain('\u001b[?25l');
    expect(text).toContain('Minprog?]0;owned?/pure-iou');
    expect(text).not.toContain('\u001b]0;owned');
  });
});
