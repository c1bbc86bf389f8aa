import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test runs the CLI as a real process; some start Prism.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
