// Entry of the headless runner, bundled by scripts/build-cli.mjs to out/cli/main.js and started by
// bin/accent-lab.js. The commands live in ./program so tests can import them without running.
import { runCli } from './program';

process.exitCode = await runCli(process.argv.slice(2));
