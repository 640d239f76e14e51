import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: ['packages/*', 'e2e', 'packages/core/vitest.netcut.config.ts'],
  },
})
