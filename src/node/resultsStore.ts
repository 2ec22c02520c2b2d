import { basename, dirname, extname, join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBAppender, DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { TrialResult } from '../engine/experiment/trial';
import {
  appendRow,
  quote,
  rowToResult,
  STORE_COLUMNS,
  STORE_SCHEMA_VERSION,
  TRIAL_COLUMNS,
} from './storeRows';
import type { StoreDetail, StoredTrial, TrialRow } from './storeRows';
import { messageOf } from '../shared/messageOf';

/**
 * The campaign results store: every finished trial as one row of a DuckDB table on disk
 * (docs/campaigns.md). Trials stream in as they end (an appender, flushed every second or so), so
 * a campaign's memory does not grow with its trials; a trial's row is found again by its key, so a
 * run skips what the store holds.
 */

// A trial's row (the columns, what it keeps beside its metrics, a row back as a result) is in
// storeRows.ts; re-exported here with the trial keys, so importers are unchanged.
export {
  rowToResult,
  STORE_COLUMNS,
  STORE_METRICS,
  STORE_SCHEMA_VERSION,
  STORE_SERIES_BINS,
} from './storeRows';
export type { StoreDetail, StoredTrial, TrialRow } from './storeRows';
export { designPoint, designPointHash, keyOfPoint, stableJson, trialKey, TrialKeys } from './trialKeys';

/**
 * The store a notebook's trials go to unless told otherwise: `<notebook>.results.duckdb` beside
 * it. The CLI's default and the app's sweeps, Store check and Save As all use this one rule.
 */
export function defaultStorePath(notebookFile: string): string {
  const file = resolve(notebookFile);
  return join(dirname(file), `${basename(file, extname(file))}.results.duckdb`);
}

export interface OpenStoreOptions {
  /** Open without writing (several processes may read one store at once). */
  readOnly?: boolean;
}

/** Keys trialsByKeys joins with the store in one query (its memory is about 1.8 KB a key). */
export const KEYS_PER_QUERY = 10_000;

/** Appended rows are flushed to the file at this many, or when the last flush is this old (ms). */
const FLUSH_ROWS = 2_000;
const FLUSH_MS = 1_000;

/**
 * One DuckDB store file. Open with ResultsStore.open(path); close() when done (it flushes). Writes
 * come from one process at a time (DuckDB locks the file); shards write their own stores, which
 * merge() folds in.
 */
export class ResultsStore {
  private appender: DuckDBAppender | null = null;
  private pendingRows = 0;
  private flushedAt = performance.now();
  private closed = false;
  /** Temporary tables made so far (their names are numbered). */
  private tables = 0;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly readOnly: boolean,
  ) {}

  static async open(path: string, options: OpenStoreOptions = {}): Promise<ResultsStore> {
    const readOnly = options.readOnly === true;
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {});
    } catch (error) {
      throw new Error(`cannot open the results store ${path}: ${messageOf(error)}`, { cause: error });
    }
    const connection = await instance.connect();
    const store = new ResultsStore(path, instance, connection, readOnly);
    try {
      await store.prepare();
    } catch (error) {
      store.closeNow();
      throw error;
    }
    return store;
  }

  private async prepare(): Promise<void> {
    if (!this.readOnly) {
      await this.connection.run(
        'CREATE TABLE IF NOT EXISTS store_info (name VARCHAR PRIMARY KEY, value VARCHAR)',
      );
      await this.connection.run(
        `INSERT OR IGNORE INTO store_info VALUES ('schema_version', '${STORE_SCHEMA_VERSION}')`,
      );
      await this.connection.run(`CREATE TABLE IF NOT EXISTS trials (${TRIAL_COLUMNS})`);
    }
    const tables = await this.connection.runAndReadAll(
      "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('trials', 'store_info')",
    );
    if (Number(tables.getRows()[0]![0]) < 2) {
      throw new Error(`${this.path} is not a results store of Accent Migration Lab`);
    }
    const version = await this.connection.runAndReadAll(
      "SELECT value FROM store_info WHERE name = 'schema_version'",
    );
    const found = version.getRows()[0]?.[0];
    if (String(found) !== String(STORE_SCHEMA_VERSION)) {
      throw new Error(
        `${this.path} is a results store of schema version ${String(found)}; this lab reads version ${STORE_SCHEMA_VERSION}`,
      );
    }
  }

  /** The keys of the stored trials that ended ok (a failed trial runs again). */
  async okKeys(): Promise<Set<string>> {
    await this.flush();
    const keys = new Set<string>();
    const result = await this.connection.stream('SELECT key FROM trials WHERE ok');
    for await (const rows of result.yieldRows()) for (const row of rows) keys.add(String(row[0]));
    return keys;
  }

  /** Stored trials, ok or not. */
  async count(): Promise<number> {
    await this.flush();
    const reader = await this.connection.runAndReadAll('SELECT count(*) FROM trials');
    return Number(reader.getRows()[0]![0]);
  }

  /** Forget the trials that failed: they run again (a failure may have been the machine's). */
  async dropFailed(): Promise<void> {
    await this.flush();
    await this.connection.run('DELETE FROM trials WHERE NOT ok');
  }

  /**
   * Append a finished trial (a cancelled one is not a result: don't). Rows reach the file at
   * every FLUSH_ROWS and at flush()/close().
   */
  async append(
    key: string,
    experiment: string,
    index: number,
    result: TrialResult,
    detail: StoreDetail = 'figures',
  ): Promise<void> {
    if (this.closed) throw new Error('the results store is closed');
    this.appender ??= await this.connection.createAppender('trials');
    appendRow(this.appender, { key, experiment, index, result, detail });
    this.pendingRows += 1;
    // A killed run loses at most the rows of the last second or so: the rest are on disk.
    if (this.pendingRows >= FLUSH_ROWS || performance.now() - this.flushedAt >= FLUSH_MS) await this.flush();
  }

  /**
   * Add trials that may be in the store already (e.g. an experiment's inline trials moved into
   * it): a key the store holds keeps its row (unless that row failed and the one given ended ok:
   * then the given one replaces it), the others are added, and the store is checkpointed (on disk
   * before a notebook names it). Returns the rows added (a replaced one counts).
   */
  async insertTrials(rows: Iterable<TrialRow>): Promise<number> {
    if (this.closed) throw new Error('the results store is closed');
    await this.flush();
    this.closeAppender();
    const name = `inserting_${(this.tables += 1)}`;
    const table = `temp.${name}`;
    await this.connection.run(`CREATE TEMP TABLE ${name} AS SELECT * FROM trials LIMIT 0`);
    try {
      const appender = await this.connection.createAppender(name, 'main', 'temp');
      try {
        for (const row of rows) appendRow(appender, row);
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      // A stored failure of a trial given here as ok gives way to it (a failed one runs again anyway).
      await this.connection.run(
        `DELETE FROM trials WHERE NOT ok AND key IN (SELECT key FROM ${table} WHERE ok)`,
      );
      const before = await this.count();
      await this.connection.run(
        `INSERT OR IGNORE INTO trials SELECT ${STORE_COLUMNS.map(quote).join(', ')} FROM ${table}`,
      );
      await this.connection.run('CHECKPOINT');
      return (await this.count()) - before;
    } finally {
      await this.connection.run(`DROP TABLE IF EXISTS ${table}`);
    }
  }

  /** Write the appended rows to the file. */
  async flush(): Promise<void> {
    if (this.appender && this.pendingRows > 0) {
      this.appender.flushSync();
      this.pendingRows = 0;
      this.flushedAt = performance.now();
    }
    await Promise.resolve();
  }

  /**
   * The stored trials with the given keys, in the keys' order, a chunk at a time (memory stays
   * bounded whatever the store holds and however many keys are asked for): `keys(n)` gives the
   * n-th key, for n below `count`. Keys not in the store are left out. A trial shared by two
   * experiments is stored once, under its key.
   *
   * The keys go into a temporary table and are joined with the store KEYS_PER_QUERY at a time: one
   * join of every key, sorted, held each joined row in memory (a 200,000-trial store: +360 MB,
   * about 1.8 KB a trial; a DuckDB memory_limit made it fail rather than spill).
   */
  async *trialsByKeys(count: number, keys: (n: number) => string): AsyncGenerator<StoredTrial[]> {
    await this.flush();
    this.closeAppender();
    for (let from = 0; from < count; from += KEYS_PER_QUERY) {
      const to = Math.min(count, from + KEYS_PER_QUERY);
      const wanted = await this.fillWanted(from, to, keys);
      const result = await this.connection.stream(
        `SELECT ${STORE_COLUMNS.map((name) => `t.${quote(name)}`).join(', ')}, w.n FROM temp.${wanted} w ` +
          `JOIN trials t ON t.key = w.key ORDER BY w.n`,
      );
      try {
        for await (const rows of result.yieldRows()) {
          yield rows.map((row) => {
            const stored = rowToResult(row);
            stored.index = Number(row[STORE_COLUMNS.length]);
            return stored;
          });
        }
      } finally {
        await this.connection.run(`DROP TABLE IF EXISTS temp.${wanted}`);
      }
    }
  }

  /**
   * Which of the given keys the store holds as trials that ended ok: `keys(n)` gives the n-th key,
   * for n below `count`; yields, for each chunk of `perQuery` keys in turn, the n of the held ones
   * in ascending order. Memory is one chunk of keys, not the store: okKeys' Set of every stored key
   * took 66 MB of heap at 10^6 keys; 10,000 keys a query (the default) took 0.4 MB, in about the
   * Set's time (docs/benchmarks.md).
   */
  async *okAmong(
    count: number,
    keys: (n: number) => string,
    perQuery: number = KEYS_PER_QUERY,
  ): AsyncGenerator<number[]> {
    await this.flush();
    this.closeAppender();
    for (let from = 0; from < count; from += perQuery) {
      const to = Math.min(count, from + perQuery);
      const wanted = await this.fillWanted(from, to, keys);
      try {
        const reader = await this.connection.runAndReadAll(
          `SELECT w.n FROM temp.${wanted} w JOIN trials t ON t.key = w.key WHERE t.ok ORDER BY w.n`,
        );
        // Every chunk yields (an empty one too), so a caller can stop between chunks.
        yield reader.getRows().map((row) => Number(row[0]));
      } finally {
        await this.connection.run(`DROP TABLE IF EXISTS temp.${wanted}`);
      }
    }
  }

  /** Trials that ended ok. */
  async okCount(): Promise<number> {
    await this.flush();
    const reader = await this.connection.runAndReadAll('SELECT count(*) FROM trials WHERE ok');
    return Number(reader.getRows()[0]![0]);
  }

  /**
   * A temporary table (n, key) with the keys from..to-1 (see trialsByKeys); its name is returned,
   * one of its own per call, so that two readers of one store do not share it.
   */
  private async fillWanted(from: number, to: number, keys: (n: number) => string): Promise<string> {
    const table = `wanted_${(this.tables += 1)}`;
    await this.connection.run(`CREATE TEMP TABLE ${table} (n UBIGINT, key VARCHAR)`);
    const wanted = await this.connection.createAppender(table, 'main', 'temp');
    let yieldedAt = performance.now();
    try {
      for (let n = from; n < to; n += 1) {
        wanted.appendUBigInt(BigInt(n));
        wanted.appendVarchar(keys(n));
        wanted.endRow();
        // A million keys take seconds to hash: let the process answer meanwhile (the app's host).
        if ((n & 4095) === 4095 && performance.now() - yieldedAt > 20) {
          await new Promise((next) => setImmediate(next));
          yieldedAt = performance.now();
        }
      }
      wanted.flushSync();
    } finally {
      wanted.closeSync();
    }
    return table;
  }

  /** Fold other stores' trials into this one (a later row of a key replaces an earlier one). */
  async merge(paths: readonly string[]): Promise<number> {
    await this.flush();
    this.closeAppender();
    let added = 0;
    for (const [n, path] of paths.entries()) {
      const alias = `shard_${n}`;
      await this.connection.run(`ATTACH ${sqlString(path)} AS ${alias} (READ_ONLY)`);
      try {
        const before = await this.count();
        await this.connection.run(
          `INSERT OR REPLACE INTO trials SELECT ${STORE_COLUMNS.map(quote).join(', ')} FROM ${alias}.trials`,
        );
        added += (await this.count()) - before;
      } finally {
        await this.connection.run(`DETACH ${alias}`);
      }
    }
    return added;
  }

  /** Write every stored trial as Parquet files under `dir` (trials.parquet); returns the files. */
  async exportParquet(dir: string): Promise<string[]> {
    await this.flush();
    const file = `${dir.replace(/\/+$/, '')}/trials.parquet`;
    await this.connection.run(
      `COPY (SELECT * FROM trials ORDER BY experiment, trial_index, key) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    return [file];
  }

  /** Run a query on the store (for summaries and tests). */
  async query(sql: string, values?: Record<string, DuckDBValue>): Promise<DuckDBValue[][]> {
    await this.flush();
    const reader = await this.connection.runAndReadAll(sql, values);
    return reader.getRows();
  }

  private closeAppender(): void {
    if (this.appender) {
      this.appender.closeSync();
      this.appender = null;
      this.pendingRows = 0;
    }
  }

  private closeNow(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** Flush and close. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.closeAppender();
      if (!this.readOnly) await this.connection.run('CHECKPOINT');
    } finally {
      this.closeNow();
    }
  }
}

/** A SQL string literal. */
function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Open a store read-only for one use and close it after (the command line's reads, and the app's when no sweep holds it). */
export async function withReadOnlyStore<T>(
  path: string,
  use: (store: ResultsStore) => Promise<T>,
): Promise<T> {
  const store = await ResultsStore.open(path, { readOnly: true });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
