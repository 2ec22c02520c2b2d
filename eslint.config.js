// ESLint flat config. Besides the usual recommended sets, it enforces the layering of
// docs/ARCHITECTURE.md (engine <- shared <- node <- main/cli; shared <- preload/renderer) with
// `no-restricted-imports` per folder, so a wrong arrow fails `npm run lint` (and CI).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig, globalIgnores } from 'eslint/config';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const SOURCE_EXT = '{ts,mts,cts,js,mjs,cjs,vue}';
/** Deepest folder nesting (below a layer's folder) that the boundary rules cover. */
const MAX_DEPTH = 12;
const SRC_FOLDERS = ['engine', 'shared', 'node', 'main', 'preload', 'renderer', 'cli'];

const NODE_BUILTINS = [
  ...new Set([
    ...builtinModules.filter((name) => !name.startsWith('_')),
    // Listed explicitly so the rule does not depend on the Node version running ESLint.
    ...['fs', 'fs/promises', 'path', 'os', 'worker_threads', 'child_process', 'crypto', 'http', 'https'],
    ...['net', 'url', 'util', 'stream', 'events', 'buffer', 'process', 'module', 'v8', 'vm'],
  ]),
];

/** Package restrictions, as `paths` / `patterns` entries of `no-restricted-imports`. */
const ban = {
  electron: {
    paths: [{ name: 'electron', message: 'Only src/main/electron and src/preload may import electron.' }],
    patterns: [
      { group: ['electron/*'], message: 'Only src/main/electron and src/preload may import electron.' },
    ],
  },
  vue: {
    paths: ['vue', 'pinia'].map((name) => ({ name, message: 'Vue and Pinia belong to src/renderer only.' })),
    patterns: [
      { group: ['vue/*', '@vue/*', 'pinia/*'], message: 'Vue and Pinia belong to src/renderer only.' },
    ],
  },
  node: {
    paths: NODE_BUILTINS.map((name) => ({
      name,
      message: 'Node built-ins are not allowed in this layer (it must run in a browser worker too).',
    })),
    patterns: [
      {
        group: ['node:*'],
        message: 'Node built-ins are not allowed in this layer (it must run in a browser worker too).',
      },
    ],
  },
};

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A regex matching relative imports, written in a file `depth` folders below the layer folder
 * (src/<layer>), that reach into a forbidden sibling folder of src/ -- or, with
 * `forbidden === 'any'`, that leave the layer folder at all.
 */
function escapeRegex(depth, forbidden) {
  const up = `^(?:\\./)?(?:\\.\\./){${depth}}\\.\\.`;
  if (forbidden === 'any') return `${up}(?:/|$)`;
  return `${up}/(?:${forbidden.map(escapeRegExp).join('|')})(?:/|$)`;
}

/**
 * `no-restricted-imports` configs for one layer. Flat config replaces (does not merge) rule
 * options when several objects match a file, so each object carries the layer's full list.
 * Relative imports are checked per nesting depth, which is why there is one object per depth.
 */
function layer({ name, dir, under = dir, ignores = [], bans = [], forbiddenFolders, extraPatterns = [] }) {
  const underDepth = under.split('/').length - dir.split('/').length;
  const paths = bans.flatMap((b) => b.paths);
  const patterns = [...bans.flatMap((b) => b.patterns), ...extraPatterns];
  const what = forbiddenFolders === 'any' ? 'anything outside it' : forbiddenFolders.join(', ');
  const configs = [];
  for (let depth = underDepth; depth <= MAX_DEPTH; depth++) {
    configs.push({
      name: `boundaries/${name}/depth-${depth}`,
      files: [`${under}/${'*/'.repeat(depth - underDepth)}*.${SOURCE_EXT}`],
      ignores,
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths,
            patterns: [
              ...patterns,
              {
                regex: escapeRegex(depth, forbiddenFolders),
                message: `${dir} must not import ${what}.`,
              },
            ],
          },
        ],
      },
    });
  }
  return configs;
}

const others = (...allowed) => SRC_FOLDERS.filter((f) => !allowed.includes(f));

export default defineConfig([
  globalIgnores(['out/', 'dist/', 'node_modules/', 'coverage/', 'test-output/', 'reproduction-output/']),

  js.configs.recommended,
  tseslint.configs.recommended,
  vue.configs['flat/recommended'],

  {
    name: 'project/vue-typescript',
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    name: 'project/node-globals',
    files: [
      'src/node/**',
      'src/main/**',
      'src/cli/**',
      'scripts/**',
      'bench/**',
      'bin/**',
      'test/**',
      '*.config.{js,ts}',
    ],
    languageOptions: { globals: globals.node },
  },
  {
    name: 'project/browser-globals',
    files: ['src/renderer/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    name: 'project/rules',
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  // ---- Layer boundaries ------------------------------------------------------------------------
  // engine: pure TypeScript, imports nothing from other layers, Node, Electron or Vue.
  ...layer({
    name: 'engine',
    dir: 'src/engine',
    bans: [ban.electron, ban.vue, ban.node],
    forbiddenFolders: 'any',
  }),
  // shared: pure contracts; may import engine types only.
  ...layer({
    name: 'shared',
    dir: 'src/shared',
    bans: [ban.electron, ban.vue, ban.node],
    forbiddenFolders: others('shared', 'engine'),
  }),
  // renderer: talks to the host only through the preload bridge (src/shared/hostApi).
  ...layer({
    name: 'renderer',
    dir: 'src/renderer',
    bans: [ban.electron, ban.node],
    forbiddenFolders: others('renderer', 'shared', 'engine'),
  }),
  // preload: electron's contextBridge + shared contracts, nothing else.
  ...layer({
    name: 'preload',
    dir: 'src/preload',
    bans: [ban.vue, ban.node],
    forbiddenFolders: others('preload', 'shared'),
  }),
  // node: the Node libraries both hosts and the CLI use (worker pool, trial worker, trace import,
  // figure renderer, notebook-file I/O); Node built-ins yes, the hosts and the CLI no.
  ...layer({
    name: 'node',
    dir: 'src/node',
    bans: [ban.electron, ban.vue],
    forbiddenFolders: others('node', 'shared', 'engine'),
  }),
  // main: the host-only services and the two adapters; only src/main/electron touches electron.
  ...layer({
    name: 'main',
    dir: 'src/main',
    ignores: ['src/main/electron/**'],
    bans: [ban.electron, ban.vue],
    forbiddenFolders: others('main', 'node', 'shared', 'engine'),
  }),
  ...layer({
    name: 'main-electron',
    dir: 'src/main',
    under: 'src/main/electron',
    bans: [ban.vue],
    forbiddenFolders: others('main', 'node', 'shared', 'engine'),
  }),
  // cli: headless, Node only; may use engine, shared and the Node layer, not the hosts (src/main).
  ...layer({
    name: 'cli',
    dir: 'src/cli',
    bans: [ban.electron, ban.vue],
    forbiddenFolders: others('cli', 'node', 'shared', 'engine'),
  }),

  prettier,
]);
