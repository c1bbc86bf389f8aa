import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property and fault tests make hundreds of HTTP calls; a busy 2-core CI box needs the room.
    testTimeout: 30_000,
    // One Prism (the spec's examples) for the whole run; TEST_API_BASE_URL points the tests at another server instead.
    globalSetup: ['@realtimekit-webhooks/mock/vitest-examples'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
