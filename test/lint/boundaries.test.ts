import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Lints snippets as if they lived at a given path, with the project's eslint.config.js.
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  // Guard against vacuous passes: the file must be linted, with the boundary rule switched on.
  expect(await eslint.isPathIgnored(filePath)).toBe(false);
  const config = (await eslint.calculateConfigForFile(filePath)) as { rules?: Record<string, unknown> };
  expect(config.rules?.['no-restricted-imports']).toBeDefined();

  const [result] = await eslint.lintText(code, { filePath, warnIgnored: true });
  if (!result) throw new Error('ESLint returned no result');
  const fatal = result.messages.filter((m) => m.fatal);
  expect(fatal).toEqual([]);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const use = (specifier: string): string => `import * as x from '${specifier}';\nexport const y = x;\n`;

describe('layer boundaries (no-restricted-imports)', () => {
  describe('src/engine', () => {
    it.each([
      ['electron', 'src/engine/x.ts'],
      ['node:fs', 'src/engine/x.ts'],
      ['fs', 'src/engine/x.ts'],
      ['fs/promises', 'src/engine/kernel/x.ts'],
      ['worker_threads', 'src/engine/x.ts'],
      ['path', 'src/engine/x.ts'],
      ['vue', 'src/engine/x.ts'],
      ['pinia', 'src/engine/x.ts'],
      ['../shared/x', 'src/engine/x.ts'],
      ['../main/services/pool', 'src/engine/x.ts'],
      ['../node/enginePool', 'src/engine/x.ts'],
      ['../../shared/hostApi', 'src/engine/kernel/x.ts'],
      ['../../renderer/src/App.vue', 'src/engine/model/x.ts'],
      ['./../../cli/main', 'src/engine/model/x.ts'],
      ['../../../test/helpers', 'src/engine/model/x.ts'],
      ['..', 'src/engine/x.ts'],
    ])('rejects %s in %s', async (specifier, filePath) => {
      expect(await restrictedImports(use(specifier), filePath)).toHaveLength(1);
    });

    it('accepts a clean engine file', async () => {
      const code = [
        "import { Heap } from 'heap-js';",
        "import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';",
        "import type { Simulation } from '../kernel/simulation';",
        "import { AMap } from './amap';",
        'export const parts = [Heap, xoroshiro128plus, AMap];',
        'export type Sim = Simulation;',
        '',
      ].join('\n');
      expect(await restrictedImports(code, 'src/engine/model/x.ts')).toEqual([]);
      expect(
        await restrictedImports("import { a } from './kernel/a';\nexport { a };\n", 'src/engine/x.ts'),
      ).toEqual([]);
    });
  });

  describe('other layers', () => {
    it.each([
      ['electron', 'src/shared/x.ts'],
      ['node:path', 'src/shared/x.ts'],
      ['vue', 'src/shared/x.ts'],
      ['../main/x', 'src/shared/x.ts'],
      ['../node/enginePool', 'src/shared/x.ts'],
      ['../../node/enginePool', 'src/renderer/src/main.ts'],
      ['../node/notebookFile', 'src/preload/index.ts'],
      ['electron', 'src/node/enginePool.ts'],
      ['vue', 'src/node/enginePool.ts'],
      ['../main/services/sweepService', 'src/node/enginePool.ts'],
      ['../main/hostServices', 'src/node/x.ts'],
      ['../cli/main', 'src/node/x.ts'],
      ['../../renderer/src/App.vue', 'src/node/sub/x.ts'],
      ['../renderer/src/x', 'src/shared/x.ts'],
      ['electron', 'src/renderer/src/main.ts'],
      ['node:fs', 'src/renderer/src/main.ts'],
      ['../../main/x', 'src/renderer/src/main.ts'],
      ['../../../cli/main', 'src/renderer/src/components/X.vue'],
      ['electron', 'src/main/services/pool.ts'],
      ['electron', 'src/main/index.ts'],
      ['../renderer/src/x', 'src/main/index.ts'],
      ['electron', 'src/cli/main.ts'],
      ['vue', 'src/cli/main.ts'],
      ['../main/electron/window', 'src/cli/main.ts'],
      ['../main/services/sweepService', 'src/cli/main.ts'],
      ['../../main/hostServices', 'src/cli/commands/run.ts'],
      ['node:fs', 'src/preload/index.ts'],
    ])('rejects %s in %s', async (specifier, filePath) => {
      const code = filePath.endsWith('.vue')
        ? `<script setup lang="ts">\n${use(specifier)}</script>\n`
        : use(specifier);
      expect(await restrictedImports(code, filePath)).toHaveLength(1);
    });

    it.each([
      ['../engine/kernel/simulation', 'src/shared/x.ts'],
      ['../../shared/hostApi', 'src/renderer/src/main.ts'],
      ['../../engine/kernel/random', 'src/renderer/src/main.ts'],
      ['vue', 'src/renderer/src/main.ts'],
      ['electron', 'src/main/electron/window.ts'],
      ['node:path', 'src/main/electron/window.ts'],
      ['../../shared/hostApi', 'src/main/electron/app.ts'],
      ['node:worker_threads', 'src/main/services/pool.ts'],
      ['../../engine/kernel/simulation', 'src/main/services/pool.ts'],
      ['electron', 'src/preload/index.ts'],
      ['../shared/hostApi', 'src/preload/index.ts'],
      ['node:fs', 'src/cli/main.ts'],
      ['../node/enginePool', 'src/cli/main.ts'],
      ['../../node/traceImport', 'src/cli/commands/trace.ts'],
      ['node:worker_threads', 'src/node/enginePool.ts'],
      ['../engine/experiment/trial', 'src/node/trialWorker.ts'],
      ['../shared/figures/charts', 'src/node/figureRenderer.ts'],
      ['./traceImport', 'src/node/trialWorker.ts'],
      ['../../node/enginePool', 'src/main/services/sweepService.ts'],
      ['../node/enginePool', 'src/main/hostServices.ts'],
      ['../../node/notebookFile', 'src/main/electron/app.ts'],
      ['../engine/kernel/simulation', 'src/cli/main.ts'],
      ['../../resources/reproduction.json', 'src/cli/commands/reproduce.ts'],
    ])('accepts %s in %s', async (specifier, filePath) => {
      expect(await restrictedImports(use(specifier), filePath)).toEqual([]);
    });
  });
});
