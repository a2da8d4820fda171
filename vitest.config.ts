import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Integration tests spawn the bundle and time retries: fewer workers than cores keeps their clocks honest.
    maxWorkers: 2,
  },
});
