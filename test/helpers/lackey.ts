import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why lackey traces cannot be made here, or null when valgrind and a C compiler are present. */
export function lackeyMissing(): string | null {
  for (const tool of ['valgrind', 'cc']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) {
      return `${tool} is not installed: the tests that trace a real program need valgrind and cc (apt-get install valgrind gcc)`;
    }
  }
  return null;
}

/** A tiny C program: fills an 8 KB array (two to sixteen pages), then reads every 64th entry. */
const TINY_PROGRAM = `int data[2048];
int main(void) {
  for (int i = 0; i < 2048; i++) data[i] = i * 7;
  int sum = 0;
  for (int i = 0; i < 2048; i += 64) sum += data[i];
  return sum & 1;
}
`;

/** Compile the tiny program and trace it with lackey; returns the trace file (about 200,000 lines). */
export function makeTinyTrace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'accent-lab-lackey-'));
  writeFileSync(join(dir, 'tiny.c'), TINY_PROGRAM);
  execFileSync('cc', ['-O0', '-o', join(dir, 'tiny'), join(dir, 'tiny.c')]);
  const trace = join(dir, 'tiny.trace');
  execFileSync('valgrind', ['--tool=lackey', '--trace-mem=yes', `--log-file=${trace}`, join(dir, 'tiny')], {
    stdio: 'ignore',
  });
  return trace;
}

/**
 * Counts made straight from the raw trace, independently of the importer: a regular expression
 * per line, BigInt addresses, and a Set of page numbers as strings.
 */
export function countTrace(file: string, pageSizeBytes: number) {
  const counts = { I: 0, L: 0, S: 0, M: 0 };
  const pages = new Set<string>();
  const size = BigInt(pageSizeBytes);
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^(?:I | ([LSM])) ([0-9a-f]+),(\d+)$/.exec(line);
    if (!match) continue;
    counts[(match[1] ?? 'I') as keyof typeof counts] += 1;
    const address = BigInt(`0x${match[2]}`);
    const last = address + BigInt(match[3]!) - 1n;
    for (let page = address / size; page <= last / size; page += 1n) pages.add(page.toString());
  }
  return { ...counts, references: counts.I + counts.L + counts.S + counts.M, distinctPages: pages.size };
}
