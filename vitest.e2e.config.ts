import { defineConfig } from 'vitest/config';

// The renderer in Chromium against the real web adapter (out/main/web.js). `npm run test:e2e`.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // Chromium and the host share two cores with the engine's workers: a chart may take seconds to
    // catch up, so a poll waits on what it checks, not on a clock tuned to an idle machine.
    expect: { poll: { timeout: 20_000 } },
  },
});
