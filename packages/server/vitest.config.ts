import { defineProject } from 'vitest/config'
import { sourceResolve } from '../../vitest.shared'

export default defineProject({
  ...sourceResolve,
  test: {
    name: 'server',
    // The hostile-load suite is its own project (vitest.hostile.config.ts), run apart.
    exclude: ['**/node_modules/**', 'test/hostile/**'],
  },
})
