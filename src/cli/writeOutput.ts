import { mkdir, open, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { saveFailureReason } from '../node/notebookFile';
import { removeStaleTemporaries, temporaryPathFor, writeWholeFile } from '../node/wholeFile';

/**
 * Write one output file whole (its folder made if missing) or fail saying why ("cannot write …/results.json: the disk is
 * full"), so a command never exits 0 over a file cut short.
 */
export async function writeOutputFile(
  file: string,
  data: string | Uint8Array | readonly Uint8Array[],
): Promise<void> {
  try {
    await mkdir(dirname(resolve(file)), { recursive: true });
    await writeWholeFile(file, data);
  } catch (error) {
    throw new Error(`cannot write ${file}: ${saveFailureReason(error)}`, { cause: error });
  }
}

/** The name the write test's temporary file is made for (`.accent-lab-write-test.<hex>.partial`). */
const WRITE_TEST = 'accent-lab-write-test';

/**
 * Make the output folder `dir` (with its parents) and check that a file can be created, written
 * and flushed in it, before a command spends its time on trials whose outputs go there (issue 14,
 * finding 8): the test file is one of our temporaries, removed at once (and swept if a kill left
 * it), and folders the test had to make are removed again. Throws "cannot write to the output
 * folder DIR: why".
 */
export async function probeOutputFolder(dir: string): Promise<void> {
  const folder = resolve(dir);
  let created: string | undefined;
  try {
    created = await mkdir(folder, { recursive: true });
    await removeStaleTemporaries(join(folder, WRITE_TEST));
    const probe = temporaryPathFor(join(folder, WRITE_TEST));
    const handle = await open(probe, 'wx', 0o600);
    try {
      await handle.write('accent-lab write test\n');
      await handle.sync();
    } finally {
      await handle.close();
      await unlink(probe).catch(() => undefined);
    }
  } catch (error) {
    await removeCreated(folder, created);
    throw new Error(`cannot write to the output folder ${dir}: ${saveFailureReason(error)}`, {
      cause: error,
    });
  }
  // The folders the test made go again (a command stopped before it writes leaves nothing); the
  // writes make them when they come.
  await removeCreated(folder, created);
}

/** Remove `folder` and its parents up to `created`, the first one mkdir made, while empty. */
async function removeCreated(folder: string, created: string | undefined): Promise<void> {
  if (created === undefined) return;
  for (let at = folder; at.startsWith(created); at = dirname(at)) {
    try {
      await rmdir(at);
    } catch {
      return;
    }
    if (at === created) return;
  }
}

/**
 * probeOutputFolder for the folder of the output file `file`, which must not be a folder (or
 * anything but a file) already.
 */
export async function probeOutputFile(file: string): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch {
    info = null;
  }
  if (info && !info.isFile()) {
    throw new Error(
      `cannot write ${file}: ${info.isDirectory() ? 'a folder has that name' : 'it is not a file'}`,
    );
  }
  await probeOutputFolder(dirname(resolve(file)));
}
