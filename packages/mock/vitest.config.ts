import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starting Prism takes ~1.5 s; several starts per test.
    testTimeout: 60_000,
    // Prism can take several seconds to start while other tasks load both cores.
    hookTimeout: 60_000,
    // The kit's own globalSetup, as a service's vitest config would use it (global-setup.test.ts).
    globalSetup: ['./dist/vitest.js'],
  },
});
