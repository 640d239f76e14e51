import { defineProject } from 'vitest/config'
import { nodeWebSocket, sourceResolve } from '../../vitest.shared'

/** Tests that really cut peer traffic with nftables; `npm test` runs them alone in their own namespace. */
export default defineProject({
  ...sourceResolve,
  test: {
    execArgv: nodeWebSocket,
    name: 'netcut',
    testTimeout: 60_000,
    include: ['test/**/*.netcut.test.ts'],
  },
})
