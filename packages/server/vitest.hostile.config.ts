import { defineProject } from 'vitest/config'
import { sourceResolve } from '../../vitest.shared'

/**
 * The hostile-load suite (#13): attacks replayed against real `duet-server` processes and a real
 * Redis, on loopback only. `npm test` runs it as a step of its own, one file at a time, so the
 * figures it records are not skewed by other tests sharing the two cores.
 */
export default defineProject({
  ...sourceResolve,
  test: {
    name: 'hostile',
    include: ['test/hostile/**/*.hostile.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    fileParallelism: false,
  },
})
