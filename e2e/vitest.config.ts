import { configDefaults, defineProject } from 'vitest/config'
import { sourceResolve } from '../vitest.shared'

export default defineProject({
  ...sourceResolve,
  test: {
    name: 'e2e',
    // Network-cut tests run alone (vitest.netcut.config.ts): a cut here would break every call.
    exclude: [...configDefaults.exclude, '**/*.netcut.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
