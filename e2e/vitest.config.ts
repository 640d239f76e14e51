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
    // What a page shows follows its camera, sockets and renders: on a loaded 2-core machine that
    // takes seconds, not the one second `expect.poll` waits by default. Bounds a test asserts
    // are given explicitly.
    expect: { poll: { timeout: 10_000 } },
  },
})
