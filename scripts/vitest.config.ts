import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Packing, publishing and installing packages takes a while on a busy 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
