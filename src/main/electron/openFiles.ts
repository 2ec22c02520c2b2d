import { isAbsolute, resolve } from 'node:path';
import { NOTEBOOK_EXTENSION } from '../../shared/notebook/format';

/**
 * The `.accentlab` file named on a command line (`accent-lab notebook.accentlab`, or what the OS
 * passes on a double-click), made absolute against the directory it was started in; the last one
 * wins. Null when there is none. `argv[0]` is the executable and is never taken. Pure Node code
 * (no `electron` import) so it is unit-tested without the Electron binary.
 */
export function notebookFileArgument(argv: readonly string[], cwd: string): string | null {
  for (let index = argv.length - 1; index >= 1; index -= 1) {
    const argument = argv[index];
    if (!argument || argument.startsWith('-')) continue;
    if (!argument.toLowerCase().endsWith(NOTEBOOK_EXTENSION)) continue;
    return isAbsolute(argument) ? argument : resolve(cwd, argument);
  }
  return null;
}
