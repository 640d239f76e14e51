import { defineProject } from 'vitest/config'
import { nodeWebSocket, sourceResolve } from '../../vitest.shared'

export default defineProject({
  ...sourceResolve,
  test: {
    execArgv: nodeWebSocket,
    name: 'server',
    // The hostile-load suite is its own project (vitest.hostile.config.ts), run apart.
    exclude: ['**/node_modules/**', 'test/hostile/**'],
  },
})
