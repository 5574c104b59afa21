import { defineConfig } from 'vitest/config';

// Three projects, one per layer of the test strategy (unit, integration, e2e). Integration and e2e
// start real servers, so they run one file at a time on our 2-core machines. A fourth, `long`, holds
// the e2e files that wait minutes of wall time by design (*.long.test.ts: a terminal left idle for
// five minutes); `npm test` leaves it out so the suite stays short, `npm run test:long` and CI run it.
// Every answer the contract server sends without the schema's copy (its exact check vouched for
// it) is parsed by the schema too while tests run, and a disagreement fails loudly: the tests'
// real answers hold the check to the schemas. Set here, so workers and spawned consoles inherit it.
process.env.FLIGHTDECK_VERIFY_EXACT ??= '1';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/**/*.long.test.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
      {
        test: {
          name: 'long',
          include: ['test/e2e/**/*.long.test.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
