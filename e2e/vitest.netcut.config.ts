import { defineProject } from 'vitest/config'
import { sourceResolve } from '../vitest.shared'

/** Browser calls whose traffic nftables really cuts; `npm test` runs them alone in their own namespace. */
export default defineProject({
  ...sourceResolve,
  test: {
    name: 'e2e-netcut',
    include: ['**/*.netcut.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // What a page shows follows its camera, sockets and renders: on a loaded 2-core machine that
    // takes seconds, not the one second `expect.poll` waits by default. Bounds a test asserts
    // are given explicitly.
    expect: { poll: { timeout: 10_000 } },
  },
})
