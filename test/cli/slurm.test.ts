import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotebookService } from '../../src/main/services/notebookService';
import { sampleExperiment, sampleNotebook } from '../helpers/designs';
import { buildCliIfStale, cli } from '../helpers/cli';

/**
 * A real one-node Slurm (Debian's slurmctld, slurmd and munge; .ci/run installs them): the test
 * writes a slurm.conf for this host, starts munged, slurmctld and slurmd in the foreground (so
 * their PIDs are the children's), submits a 3-task array of a small notebook with `accent-lab
 * slurm --submit`, waits for the merge job's trials.csv, compares it with a local run, and stops
 * the daemons it started by their PIDs.
 */
const run = promisify(execFile);
const BINARIES = ['/usr/sbin/munged', '/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/sbatch'];
const MUNGE_KEY = '/etc/munge/munge.key';

let dir: string;
const daemons: ChildProcess[] = [];
let env: NodeJS.ProcessEnv;

async function stopDaemons(): Promise<void> {
  // Last started first: slurmd, slurmctld, munged.
  for (const child of daemons.reverse()) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  daemons.length = 0;
}

function start(command: string, args: string[], log: string): ChildProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') void writeFile(`${log}.exit`, `${code} ${signal}\n${stderr}`);
  });
  daemons.push(child);
  return child;
}

async function until<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  const missing = [...BINARIES, MUNGE_KEY].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `the Slurm test needs Debian's slurmctld, slurmd, slurm-client and munge (missing ${missing.join(', ')}); .ci/run installs them`,
    );
  }
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-slurm-'));
  await buildCliIfStale();
  const host = hostname().split('.')[0]!;
  // Ports of our own, so that this cluster does not meet another one on the machine.
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const socket = join(dir, 'munge.socket');
  for (const sub of ['state', 'spool']) await mkdir(join(dir, sub), { recursive: true });
  const conf = join(dir, 'slurm.conf');
  await writeFile(
    conf,
    [
      'ClusterName=accentlab',
      `SlurmctldHost=${host}(127.0.0.1)`,
      `SlurmctldPort=${port}`,
      `SlurmdPort=${port + 1}`,
      'AuthType=auth/munge',
      `AuthInfo=socket=${socket}`,
      'CredType=cred/munge',
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'SchedulerType=sched/backfill',
      'MpiDefault=none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'SlurmUser=root',
      'SlurmdUser=root',
      'ReturnToService=2',
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
      `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${availableParallelism()} RealMemory=8000 State=UNKNOWN`,
      `PartitionName=main Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  env = { ...process.env, SLURM_CONF: conf };
  // The CLI's sbatch (and the jobs, which get the submitter's environment) find the cluster so.
  process.env['SLURM_CONF'] = conf;
  start(
    '/usr/sbin/munged',
    [
      '--foreground',
      '--force',
      `--socket=${socket}`,
      `--key-file=${MUNGE_KEY}`,
      `--pid-file=${join(dir, 'munged.pid')}`,
      `--log-file=${join(dir, 'munged.log')}`,
      `--seed-file=${join(dir, 'munged.seed')}`,
    ],
    join(dir, 'munged'),
  );
  await until('munged', 10, async () => (existsSync(socket) ? true : undefined));
  start('/usr/sbin/slurmctld', ['-D', '-i', '-f', conf], join(dir, 'slurmctld'));
  start('/usr/sbin/slurmd', ['-D', '-f', conf], join(dir, 'slurmd'));
  await until('the node to be idle', 30, async () => {
    const { stdout } = await run('sinfo', ['-h', '-o', '%T'], { env });
    return /idle/.test(stdout) ? true : undefined;
  });
}, 60_000);

afterAll(async () => {
  delete process.env['SLURM_CONF'];
  await stopDaemons();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('accent-lab slurm on a real one-node Slurm', () => {
  it('runs a 3-task job array and a merge job that equal a local run trial by trial', async () => {
    const notebook = sampleNotebook();
    const experiment = sampleExperiment(notebook);
    experiment.design = { ...experiment.design, representatives: ['Minprog', 'PM-Start'], repetitions: 2 };
    const file = join(dir, 'cluster.accentlab');
    await new NotebookService({ settingsDir: join(dir, 'settings') }).save(notebook, file);
    const bundle = join(dir, 'bundle');

    const submitted = await cli('slurm', file, '--tasks', '3', '--out', bundle, '--submit');
    expect(submitted.code, submitted.stderr).toBe(0);
    const ids = /array job (\d+)\nmerge job (\d+)/.exec(submitted.stdout);
    expect(ids, submitted.stdout).not.toBeNull();
    const trials = join(bundle, 'trials.csv');
    await until('the merge job', 45, async () => {
      const { stdout } = await run('squeue', ['-h', '-j', `${ids![1]},${ids![2]}`], { env });
      return stdout.trim() === '' ? true : undefined;
    });
    expect(
      existsSync(trials),
      await readFile(join(bundle, 'logs', 'merge.log'), 'utf8').catch(() => ''),
    ).toBe(true);
    for (let task = 0; task < 3; task += 1) {
      expect(await readFile(join(bundle, 'logs', `shard-${task}.log`), 'utf8')).toContain(
        `shard ${task}/3 runs 4`,
      );
    }

    const local = await cli('run', file, '--store', join(dir, 'local.duckdb'), '--out', join(dir, 'local'));
    expect(local.code).toBe(0);
    expect(await readFile(trials, 'utf8')).toBe(await readFile(join(dir, 'local', 'trials.csv'), 'utf8'));
  }, 90_000);
});
