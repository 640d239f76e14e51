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
    // `npm test` runs this project as a step of its own; its main step sets DUET_SKIP_HOSTILE
    // because vitest's --project filter cannot leave out two projects (netcut and this) at once.
    include: process.env.DUET_SKIP_HOSTILE ? [] : ['test/hostile/**/*.hostile.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 30_000,
    fileParallelism: false,
  },
})
