import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The MCP server (mcp/) imports the core by its package name: in tests, the library's source.
  resolve: { alias: [{ find: /^axiom-provision$/, replacement: fileURLToPath(new URL('./src/library/index.ts', import.meta.url)) }] },
  test: {
    testTimeout: 30_000,
    // Once per run, whatever projects it runs: every temporary file of the run in one folder, removed at the end.
    globalSetup: ['test/harness/temp-folder.ts'],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.d.ts'],
      reporter: ['text'],
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: ['test/stress/**', 'test/package/**', 'test/gitlab/**'],
          globalSetup: ['test/harness/current-bundle.ts'],
          // Integration tests spawn the bundle and time retries: fewer workers than cores keeps their clocks honest.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        // The packed tarball, installed into an empty project once (globalSetup), then run there: the CLI, a library
        // script, and real Playwright and Vitest runs.
        test: {
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          globalSetup: ['test/package/global-setup.ts'],
          // Each test starts processes (a whole test runner, for some): on a busy machine they wait for a core.
          testTimeout: 60_000,
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        // Forty processes at once and seeded fault soaks: run after the rest (npm test), so they do not slow the
        // timed tests into failing.
        test: {
          name: 'stress',
          include: ['test/stress/**/*.test.ts'],
          globalSetup: ['test/harness/current-bundle.ts'],
          maxWorkers: 1,
        },
      },
      {
        extends: true,
        // Packs the package and runs the GitLab recipe under gitlab-ci-local (which needs rsync): slow, and on its own.
        test: {
          name: 'gitlab',
          include: ['test/gitlab/**/*.test.ts'],
          globalSetup: ['test/gitlab/rsync.ts'],
          hookTimeout: 120_000,
          testTimeout: 120_000,
        },
      },
    ],
  },
});
