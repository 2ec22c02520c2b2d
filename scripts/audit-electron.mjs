// `npm run audit:electron` (part of `npm test`): Doyensec's Electronegativity over src/, the
// Electron adapter, preload, renderer page and web adapter. Every finding must be one accepted in
// ACCEPTED below (and in SECURITY.md, with the reason); anything else fails the run.
// The scanner fetches Electron's release list and translations; offline it says so and goes on.
import { resolve } from 'node:path';
import run from '@doyensec/electronegativity';

const ELECTRON_VERSION = '45.5.0';

/** Accepted findings, by check and file (relative to src/), with the reason. */
export const ACCEPTED = [
  {
    id: 'CONTEXT_ISOLATION_JS_CHECK',
    file: 'main/electron/window.ts',
    why: 'false positive: the window options are built in windowOptions() (contextIsolation: true), which the scanner does not follow; test/main/electron/window.test.ts checks them',
  },
  {
    id: 'SANDBOX_JS_CHECK',
    file: 'main/electron/window.ts',
    why: 'false positive: windowOptions() sets sandbox: true (options built in a helper function); checked by window.test.ts',
  },
  {
    id: 'AUXCLICK_JS_CHECK',
    file: 'main/electron/window.ts',
    why: "false positive: windowOptions() sets disableBlinkFeatures: 'Auxclick' (options built in a helper function); a note's middle-click also goes through the same question as a click",
  },
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/electron/window.ts',
    why: 'shell.openExternal gets only http(s) URLs without credentials (isOpenableExternalUrl), after the user agreed in a native dialog showing the URL',
  },
  {
    id: 'CSP_GLOBAL_CHECK',
    file: 'renderer/index.html',
    why: "manual review asked for: the policy is default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none' (test/main/electron/csp.test.ts)",
  },
  {
    id: 'CSP_GLOBAL_CHECK',
    file: 'main/web/staticFiles.ts',
    why: "manual review asked for: the web adapter sends the page's own meta policy as its header (test/main/web/server.test.ts)",
  },
];

const accepted = (issue) => ACCEPTED.some((entry) => entry.id === issue.id && entry.file === issue.file);

export async function audit(input = resolve(import.meta.dirname, '../src')) {
  const result = await run({ input, isRelative: true, electronVersionOverride: ELECTRON_VERSION });
  const issues = result.issues.map((issue) => ({
    id: issue.id,
    file: issue.file,
    where: `${issue.location.line}:${issue.location.column}`,
    severity: issue.severity.name,
    confidence: issue.confidence.name,
  }));
  return { issues, errors: result.errors, checks: result.globalChecks + result.atomicChecks };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { issues, errors, checks } = await audit();
  let failed = false;
  for (const error of errors) {
    console.error(`audit:electron: could not parse ${error.file}: ${error.message}`);
    if (!error.tolerable) failed = true;
  }
  for (const issue of issues) {
    const ok = accepted(issue);
    if (!ok) failed = true;
    console.log(
      `${ok ? 'accepted' : 'NEW     '} ${issue.id} ${issue.severity}/${issue.confidence} src/${issue.file}:${issue.where}`,
    );
  }
  console.log(
    `audit:electron: ${checks} checks, ${issues.length} findings, ${issues.filter((issue) => !accepted(issue)).length} not accepted`,
  );
  if (failed) {
    console.error(
      'audit:electron: fix the finding, or accept it in scripts/audit-electron.mjs and SECURITY.md with the reason',
    );
    process.exit(1);
  }
}
