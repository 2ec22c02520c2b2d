import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createHostServices } from '../hostServices';
import { startWebServer } from './server';
import { messageOf } from '../../shared/messageOf';

// Entry of the web adapter (out/main/web.js): `node out/main/web.js [--port N] [--workers N]
// [--settings-dir DIR] [--data-dir DIR] [--static-dir DIR]`. Unsaved work is autosaved under
// `<data-dir>/recovery` (the data dir defaults to the settings dir, where Electron keeps it too). Prints exactly one line on stdout, the address to
// open (http://127.0.0.1:PORT/?token=TOKEN); everything else goes to stderr. Plain Node: this
// module and everything it imports stay free of `electron`.

const USAGE =
  'usage: node out/main/web.js [--port N] [--workers N] [--settings-dir DIR] [--data-dir DIR] [--static-dir DIR]';

/** Where Electron keeps userData for this app, so both adapters share the recent-files list. */
function defaultSettingsDir(): string {
  const name = 'accent-migration-lab';
  if (process.platform === 'win32') {
    return join(process.env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), name);
  }
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(process.env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), name);
}

function wholeNumber(text: string | undefined, what: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new Error(`${what} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      workers: { type: 'string' },
      'settings-dir': { type: 'string' },
      'data-dir': { type: 'string' },
      'static-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  const port = wholeNumber(values.port, '--port', 0, 65_535) ?? 0;
  const workers = wholeNumber(values.workers, '--workers', 1, 1024);
  const mainDir = import.meta.dirname;
  const settingsDir = values['settings-dir'] ?? defaultSettingsDir();
  const services = createHostServices({
    workerFile: join(mainDir, 'trialWorker.js'),
    settingsDir,
    recoveryDir: join(values['data-dir'] ?? settingsDir, 'recovery'),
    // out/main/web.js -> the package root's resources/.
    resourcesDir: join(mainDir, '../../resources'),
    ...(workers !== undefined ? { workers } : {}),
  });
  const server = await startWebServer({
    services,
    staticDir: values['static-dir'] ?? join(mainDir, '../renderer'),
    port,
  });
  process.stdout.write(`${server.url}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await server.close();
      await services.close();
      process.exit(0);
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`accent-lab web: ${messageOf(error)}\n`);
  process.stderr.write(`${USAGE}\n`);
  process.exit(1);
});
