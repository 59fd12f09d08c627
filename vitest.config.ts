import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Unit, integration and infrastructure tests import the same modules over and over (zod schemas,
 * the console's templates, the AWS SDK, aws-cdk-lib): in a fresh module graph per file, that
 * import was most of their time (test/unit alone: 80 s isolated, 35 s sharing; integration,
 * infra and the adapters' own tests: 180 s and 95 s). So they share one module graph per worker,
 * except the files that need a fresh one: those that stub the environment or read a module-level
 * singleton built from it at import (metrics, the environment schema, the scheduled runtime, the
 * refusal log, the authorizer's cache), and those that stub an AWS SDK client's class
 * (aws-sdk-client-mock patches the class itself, for every later file in the worker). A new test
 * that does either goes in `freshModules`. End-to-end and browser tests (which start stacks and
 * set the process's environment for them) stay isolated.
 */
const freshModules = [
  'test/unit/environment.test.ts',
  'test/unit/scheduled-runtime.test.ts',
  'test/unit/refusal-log.test.ts',
  'test/unit/authorizer.test.ts',
  'test/unit/twilio-status-function-url.test.ts',
  'test/unit/powertools-metrics.test.ts',
  'test/unit/staff/bootstrap-key.test.ts',
  'test/unit/providers.test.ts',
  'test/unit/invariants-review.test.ts',
  'test/unit/aws-adapters.test.ts',
  'shared/adapters/providers/aws-sms/adapter.test.ts',
];

export default defineConfig({
  test: {
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
    projects: [
      {
        extends: true,
        test: {
          name: 'shared-modules',
          include: ['test/{unit,integration,infra}/**/*.test.ts', 'shared/**/*.test.ts', 'functions/**/*.test.ts', 'infra/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...freshModules],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'isolated',
          include: ['test/{e2e,browser}/**/*.test.ts', ...freshModules],
        },
      },
    ],
  },
});
