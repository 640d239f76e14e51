import { defineProject } from 'vitest/config'
import { sourceResolve } from '../vitest.shared'

export default defineProject({
  ...sourceResolve,
  test: { name: 'e2e', testTimeout: 60_000, hookTimeout: 60_000 },
})
