// Worker entry of the CLI's EnginePool, bundled by scripts/build-cli.mjs to out/cli/trialWorker.js.
export { default } from '../main/services/trialWorker';
