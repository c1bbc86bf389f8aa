import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One Prism for the whole run; TEST_API_BASE_URL points the tests at another server instead.
    globalSetup: ['@realtimekit-webhooks/mock/vitest'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
