#!/usr/bin/env node
// Command-line entry of Accent Migration Lab: runs the bundled CLI (out/cli/main.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/cli/main.js', import.meta.url);

if (!existsSync(fileURLToPath(cli))) {
  console.error('accent-lab: out/cli/main.js not found; run `npm run build:cli` first.');
  process.exit(1);
}

await import(cli.href);
