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
  },
})
