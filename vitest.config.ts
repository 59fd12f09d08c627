import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'shared/**/*.test.ts', 'functions/**/*.test.ts', 'infra/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Matchers such as toHaveReceivedCommandWith for aws-sdk-client-mock, in every file.
    setupFiles: ['aws-sdk-client-mock-vitest/extend'],
    restoreMocks: true,
    // No metric blobs among the test output, and no trace looking for an X-Ray daemon.
    env: { POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_TRACE_ENABLED: 'false' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The machines are small (2 cores); the integration suites start emulators of their own.
    pool: 'forks',
    maxWorkers: 2,
  },
});
