import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Prism can take several seconds to start while other tasks load both cores.
    hookTimeout: 60_000,
  },
});
