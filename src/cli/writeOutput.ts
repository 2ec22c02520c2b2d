import { saveFailureReason } from '../node/projectFile';
import { writeWholeFile } from '../node/wholeFile';

/**
 * Write one output file whole or fail saying why ("cannot write …/results.json: the disk is
 * full"), so a command never exits 0 over a file cut short.
 */
export async function writeOutputFile(
  file: string,
  data: string | Uint8Array | readonly Uint8Array[],
): Promise<void> {
  try {
    await writeWholeFile(file, data);
  } catch (error) {
    throw new Error(`cannot write ${file}: ${saveFailureReason(error)}`, { cause: error });
  }
}
