import { spawn } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadTrace,
  TraceFormatError,
  TraceImportCancelled,
  TraceLimitError,
  userCacheDir,
} from '../../src/node/traceImport';
import { buildCliIfStale, repositoryRoot } from '../helpers/cli';

// Findings 3, 4 and 5 of issue 14: hostile traces, the shared cache folder, and messages that
// echoed the file. Every import here runs the real importer child process (out/cli/traceImporter.js).

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'accent-hostile-'));
  await buildCliIfStale();
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, data: string | Buffer): string => {
  const file = join(dir, name);
  writeFileSync(file, data);
  return file;
};

async function refusal(
  path: string,
  options: Parameters<typeof loadTrace>[1] = { pageSizeBytes: 128 },
): Promise<Error> {
  const started = performance.now();
  const error = await loadTrace(path, options).then(
    () => new Error('imported'),
    (e: unknown) => e as Error,
  );
  expect(performance.now() - started).toBeLessThan(20_000);
  return error;
}

describe('a hostile trace is refused quickly, with a bounded importer, and never quoted', () => {
  it('a gzip of huge accesses ("I  0,999999")', async () => {
    const error = await refusal(
      write('huge-access.gz', gzipSync(Buffer.from('I  0,999999\n'.repeat(400_000)))),
    );
    expect(error).toBeInstanceOf(TraceFormatError);
    expect(error.message).toMatch(
      /huge-access\.gz, line 1: the size after the comma must be .* from 1 to 4096/,
    );
  });

  it('8 MiB of zeros without a newline, /dev/zero and a folder', async () => {
    const zeros = await refusal(write('zeros.trace', Buffer.alloc(8 << 20)));
    expect(zeros.message).toMatch(/line 1: the line is longer than 4096 bytes/);
    expect((await refusal('/dev/zero')).message).toBe(
      '/dev/zero is not a regular file: only trace files are read',
    );
    expect((await refusal(dir)).message).toMatch(/is not a regular file/);
  });

  it('a secret is named by its line, never shown', async () => {
    const secret = write('credentials', 'root:$6$s3cr3t-hash:19000:0:99999:7:::\n');
    const error = await refusal(secret);
    expect(error.message).toMatch(/credentials, line 1: the line is not a lackey record/);
    expect(error.message).not.toMatch(/root|s3cr3t|19000/);
  });

  it('control characters in a path are not printed', async () => {
    const error = await refusal(join(dir, 'esc\u001b[31mred\u0007.trace'));
    expect(error.message).toMatch(/trace file not found: .*esc\?\[31mred\?\.trace/);
    expect([...error.message].some((char) => char.charCodeAt(0) < 0x20)).toBe(false);
  });

  it('too many distinct pages for its memory: the importer stops, this process goes on', async () => {
    // 2,000,000 distinct pages, one line each: past a 96 MB ceiling for the importer.
    const lines: string[] = [];
    for (let page = 0; page < 2_000_000; page += 1) lines.push(` L ${(page * 4096).toString(16)},8`);
    const many = write('many-pages.trace', `${lines.join('\n')}\n`);
    const error = await refusal(many, { pageSizeBytes: 4096, memoryMb: 96 });
    expect(error).toBeInstanceOf(TraceLimitError);
    expect(error.message).toMatch(/many-pages\.trace: importing the trace needs more than 96 MB of memory/);
    // The next import runs as usual.
    const fine = write('fine.trace', ' L 1000,8\n');
    expect((await loadTrace(fine, { pageSizeBytes: 4096 })).summary.distinctPages).toBe(1);
  }, 60_000);

  it('is cancelled by its signal, and stops at its time budget', async () => {
    const slow = write('slow.trace', ' L 1000,8\n'.repeat(3_000_000));
    const controller = new AbortController();
    const cancelled = loadTrace(slow, {
      pageSizeBytes: 4096,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(cancelled).rejects.toBeInstanceOf(TraceImportCancelled);
    await expect(loadTrace(slow, { pageSizeBytes: 8192, timeoutMs: 1 })).rejects.toThrow(
      /slow\.trace: the import took longer than its time budget of 1 ms/,
    );
  }, 60_000);
});

describe('the page cache cannot be planted or used against another file', () => {
  it('the fallback folder is the user’s own (0700); a planted open one is refused', async () => {
    const base = mkdtempSync(join(dir, 'tmp-'));
    const own = await userCacheDir(base);
    expect(statSync(own).mode & 0o777).toBe(0o700);
    const planted = mkdtempSync(join(dir, 'planted-'));
    mkdirSync(join(planted, own.slice(own.lastIndexOf('/') + 1)), { mode: 0o777 });
    chmodSync(join(planted, own.slice(own.lastIndexOf('/') + 1)), 0o777);
    await expect(userCacheDir(planted)).rejects.toThrow(/is not a private folder of this user \(mode 0700\)/);
  });

  it('a symlink planted where the cache goes is replaced, never followed', async () => {
    const trace = write('linked.trace', ' L 1000,8\n');
    const victim = write('victim', 'precious');
    symlinkSync(victim, `${trace}.pages-4096.bin`);
    const loaded = await loadTrace(trace, { pageSizeBytes: 4096 });
    expect(loaded.fromCache).toBe(false);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(statSync(`${trace}.pages-4096.bin`).isFile()).toBe(true);
  });

  it('a cache is trusted only when its SHA-256 is the trace’s, computed again', async () => {
    const trace = write('swapped.trace', ' L 1000,8\n L 9000,8\n');
    const first = await loadTrace(trace, { pageSizeBytes: 4096 });
    expect(first.summary.distinctPages).toBe(2);
    const { mtime, atime } = statSync(trace);
    // Same size, same modification time, other contents: the old cache must not be used.
    writeFileSync(trace, ' L 1000,8\n L 1000,8\n');
    utimesSync(trace, atime, mtime);
    const second = await loadTrace(trace, { pageSizeBytes: 4096 });
    expect(second.fromCache).toBe(false);
    expect(second.summary.distinctPages).toBe(1);
    expect((await loadTrace(trace, { pageSizeBytes: 4096 })).fromCache).toBe(true);
  });
});

describe('Ctrl-C in the CLI', () => {
  it('stops `trace-info` with exit code 130 and says so', async () => {
    const slow = write('ctrl-c.trace', ' L 1000,8\n'.repeat(4_000_000));
    const child = spawn(
      process.execPath,
      [join(repositoryRoot, 'bin', 'accent-lab.js'), 'trace-info', slow, '--page-size', '4096', '--quiet'],
      {
        cwd: repositoryRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      if (!stderr) child.kill('SIGINT');
      stderr += text;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exit) => resolve(exit)));
    expect(stderr).toMatch(/interrupted: the trace import was cancelled/);
    expect(code).toBe(130);
  }, 60_000);
});
