import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Replica processes, a real redis-server and deliberate stalls are slow on a busy 2-core CI box.
    testTimeout: 30_000,
    // The key-fetch tests force a garbage collection (a deadline must survive it).
    execArgv: ['--expose-gc'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
