import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { STORE_COLUMNS, type ResultsStore } from './resultsStore';

/** Keys put in one INSERT of the key list (a million keys take a thousand statements). */
const KEY_BATCH = 1_000;

const KEY = /^[0-9a-f]{8,64}$/;
const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const columns = STORE_COLUMNS.map((name) => `"${name}"`).join(', ');

/**
 * Copy the trials with the given keys from one results store into another, row for row (through
 * a Parquet file beside the target, removed afterwards, so the two stores' DuckDB instances never
 * open each other's file). A key the target holds already keeps its row: nothing is overwritten.
 * The source is only read; the target is opened (`openTarget`, which may create it) only when
 * there is a row to copy. Returns the rows the source held and the rows added to the target.
 */
export async function copyTrials(
  source: ResultsStore,
  targetPath: string,
  openTarget: () => Promise<ResultsStore>,
  keys: Iterable<string>,
): Promise<{ found: number; added: number }> {
  const scratch = `${targetPath}.copy-${randomUUID()}.parquet`;
  const table = `carry_${randomUUID().replaceAll('-', '')}`;
  await source.query(`CREATE TEMP TABLE ${table} (key VARCHAR)`);
  try {
    let batch: string[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      await source.query(
        `INSERT INTO ${table} VALUES ${batch.map((key) => `(${sqlString(key)})`).join(', ')}`,
      );
      batch = [];
      // Let the host answer meanwhile (a million keys take a while).
      await new Promise((next) => setImmediate(next));
    };
    for (const key of keys) {
      if (!KEY.test(key)) throw new Error(`"${key}" is not a trial key`);
      batch.push(key);
      if (batch.length >= KEY_BATCH) await flush();
    }
    await flush();
    await source.query(
      `COPY (SELECT ${columns} FROM trials WHERE key IN (SELECT key FROM ${table})) TO ${sqlString(scratch)} (FORMAT parquet)`,
    );
    const found = Number(
      (await source.query(`SELECT count(*) FROM read_parquet(${sqlString(scratch)})`))[0]![0],
    );
    if (found === 0) return { found, added: 0 };
    const target = await openTarget();
    const before = await target.count();
    await target.query(
      `INSERT OR IGNORE INTO trials SELECT ${columns} FROM read_parquet(${sqlString(scratch)})`,
    );
    // On disk before the notebook that names this store is saved.
    await target.query('CHECKPOINT');
    return { found, added: (await target.count()) - before };
  } finally {
    await source.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await rm(scratch, { force: true });
  }
}
