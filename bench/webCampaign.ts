import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import type { ExperimentDesign } from '../src/engine/experiment/design';
import { ENGINE_VERSION } from '../src/engine/experiment/trial';
import { PERQ_1987 } from '../src/engine/hardware/presets';
import type { ExperimentSummary, HostEvent, NotebookDocument } from '../src/shared/hostApi';
import type { ServerFrame } from '../src/shared/webProtocol';

const MB = 1024 * 1024;

export interface WebCampaignFigure {
  trials: number;
  workers: number;
  /** Seconds from startSweep to 'sweep-finished' (the summary built from the store included). */
  seconds: number;
  /** The web adapter process's VmHWM (host and its worker threads) over the whole run. */
  peakRssMB: number;
  /** Its RSS sampled every second: the largest, and the last before the sweep finished. */
  sampledPeakRssMB: number;
  storeBytes: number;
  summaryBytes: number;
  /** The saved notebook holding the summary. */
  notebookBytes: number;
  /** Trials that ended ok ('sweep-finished'.done). */
  done: number;
}

/** `trials` short trials: Minprog, pure-IOU over 100 prefetch values, repeated (as the other campaign parts). */
function campaignDesign(trials: number): ExperimentDesign {
  return {
    name: 'bench campaign',
    representatives: ['Minprog'],
    customWorkloads: [],
    strategies: ['pure-iou'],
    prefetchValues: Array.from({ length: 100 }, (_, i) => i),
    hardware: structuredClone(PERQ_1987),
    seed: 1987,
    repetitions: Math.ceil(trials / 100),
  };
}

/** VmRSS and VmHWM of a process, bytes. */
async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
}

/**
 * An app campaign as a user runs it in the browser build: `node out/main/web.js --workers N` (the
 * host services behind the web adapter) in a child process, driven over its WebSocket as the
 * renderer drives it (no page: the host alone is measured). The notebook is saved first, so the
 * trials stream into `<notebook>.results.duckdb` beside it; the sweep runs to its end, and the
 * notebook is saved again with the summary, as the app keeps it. The child's RSS is sampled every
 * second (appended to `samplesFile` when given, one JSON line each) and its VmHWM read at the end;
 * the store is measured after the host has stopped (closed, so checkpointed).
 */
export async function webCampaign(
  webJs: string,
  trials: number,
  workers: number,
  samplesFile?: string,
  log: (line: string) => void = () => undefined,
): Promise<WebCampaignFigure> {
  const dir = await mkdtemp(join(tmpdir(), 'accent-lab-bench-web-'));
  const child = spawn(
    process.execPath,
    [webJs, '--port', '0', '--workers', String(workers), '--settings-dir', join(dir, 'settings')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let socket: WebSocket | null = null;
  let sampler: NodeJS.Timeout | null = null;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => resolve(line.trim()));
      child.once('exit', (code) => reject(new Error(`web adapter exited (${code}) before its address`)));
    });
    const address = new URL(url);
    const ws = new WebSocket(
      `ws://127.0.0.1:${address.port}/api?token=${address.searchParams.get('token') ?? ''}`,
    );
    socket = ws;
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    let nextId = 1;
    const replies = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
    const listeners: ((event: HostEvent) => void)[] = [];
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      if ('event' in frame) {
        for (const listener of listeners) listener(frame.event);
        return;
      }
      const waiting = replies.get(frame.id);
      replies.delete(frame.id);
      if (frame.ok) waiting?.resolve(frame.value);
      else waiting?.reject(new Error(frame.error));
    });
    const call = (name: string, ...args: unknown[]): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        replies.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, call: name, args }));
      });

    const design = campaignDesign(trials);
    const notebookPath = join(dir, 'campaign.accentlab');
    const notebook: NotebookDocument = {
      formatVersion: 3,
      name: 'Bench app campaign',
      provenance: { engineVersion: ENGINE_VERSION, createdBy: 'Accent Migration Lab bench' },
      entries: [{ kind: 'experiment', id: 'campaign', design, results: [], engineVersion: ENGINE_VERSION }],
    };
    await call('saveNotebook', notebook, notebookPath);

    let ended = 0;
    let sampledPeak = 0;
    const start = performance.now();
    sampler = setInterval(() => {
      void memoryOf(child.pid!)
        .then(async ({ rss }) => {
          sampledPeak = Math.max(sampledPeak, rss);
          const sample = { seconds: (performance.now() - start) / 1000, rssMB: rss / MB, trials: ended };
          if (samplesFile) await appendFile(samplesFile, `${JSON.stringify(sample)}\n`);
        })
        .catch(() => undefined);
    }, 1000);
    let finished!: (event: Extract<HostEvent, { type: 'sweep-finished' }>) => void;
    const whenFinished = new Promise<Extract<HostEvent, { type: 'sweep-finished' }>>(
      (resolve) => (finished = resolve),
    );
    let sweepId = '';
    listeners.push((event) => {
      if (event.type === 'trial-finished') {
        ended += 1;
        if (ended % 10_000 === 0)
          log(`${ended} trials, ${((performance.now() - start) / 1000).toFixed(0)} s`);
      }
      if (event.type === 'sweep-finished' && event.sweepId === sweepId) finished(event);
    });
    const started = (await call('startSweep', design, {
      confirmLarge: true,
      notebookPath,
      experiment: 'campaign',
    })) as { sweepId: string; trialCount: number };
    sweepId = started.sweepId;
    const end = await whenFinished;
    const seconds = (performance.now() - start) / 1000;
    clearInterval(sampler);
    sampler = null;
    const summary = end.summary as ExperimentSummary | undefined;
    const entry = notebook.entries[0]!;
    if (entry.kind === 'experiment' && summary) entry.summary = summary;
    await call('saveNotebook', notebook, notebookPath);
    const memory = await memoryOf(child.pid!);
    // The store is measured closed (checkpointed): the host closes its stores as it stops.
    socket.close();
    child.kill('SIGINT');
    await exited;
    return {
      trials: started.trialCount,
      workers,
      seconds,
      peakRssMB: memory.hwm / MB,
      sampledPeakRssMB: sampledPeak / MB,
      storeBytes: (await stat(join(dir, 'campaign.results.duckdb'))).size,
      summaryBytes: summary ? Buffer.byteLength(JSON.stringify(summary)) : 0,
      notebookBytes: (await stat(notebookPath)).size,
      done: end.done,
    };
  } finally {
    if (sampler) clearInterval(sampler);
    socket?.close();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
}
