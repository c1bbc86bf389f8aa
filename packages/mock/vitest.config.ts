import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starting Prism takes ~1.5 s; several starts per test.
    testTimeout: 60_000,
  },
});
