import { defineProject } from 'vitest/config'
import { nodeWebSocket, sourceResolve } from '../../vitest.shared'

export default defineProject({
  ...sourceResolve,
  test: {
    execArgv: nodeWebSocket,
    name: 'core',
    testTimeout: 20_000,
    // Tests that cut the network get a namespace of their own (the `netcut` project, run as a
    // separate step of `npm test`): a cut here would break every other project's traffic.
    exclude: ['**/node_modules/**', 'test/**/*.netcut.test.ts'],
  },
})
