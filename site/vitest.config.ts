import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A headless browser on a 2-core machine: pages take a few seconds each.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One file at a time: the site-command test rebuilds (or restores) dist/ the others read.
    fileParallelism: false,
  },
});
