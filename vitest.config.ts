import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // test-kit holds the suites the bindings run; it has no tests of its own.
    projects: [
      'packages/*',
      '!packages/test-kit',
      'e2e',
      'docs',
      'packages/core/vitest.netcut.config.ts',
      'e2e/vitest.netcut.config.ts',
      'packages/server/vitest.hostile.config.ts',
    ],
  },
})
