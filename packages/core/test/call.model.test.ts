import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CallOptions } from '../src'
import { callMachine } from '../src/call/call.machine'
import type { CallEvent } from '../src/call/call.types'
import {
  CALL_INPUTS,
  type CallSnapshot,
  callModel,
  serializeCall,
  startCall,
} from './support/modelCall'
import {
  activeStates,
  emptyCoverage,
  type ModelPath,
  missing,
  planModel,
  replayPath,
  stateNodesOf,
  transitionsOf,
} from './support/modelGraph'

type CallPath = ModelPath<CallSnapshot, CallEvent>

const NOTHING = { states: [], transitions: [] }

// Paths come from the machine's own graph, so a new state or transition gets a path (and a
// replay) without anyone writing a test for it.
const plans = CALL_INPUTS.map(({ name, input }) => ({
  name,
  input,
  plan: planModel(callMachine, callModel(input)),
}))

// Filled by the replays, read by the coverage check: coverage is what real actors went through,
// not what the model claims.
const coverage = emptyCoverage()
const replayed = new Set<CallPath>()

function replay(input: CallOptions, path: CallPath) {
  const call = startCall(input, coverage)
  for (const id of activeStates(call.actor.getSnapshot())) coverage.states.add(id)
  try {
    replayPath(
      path,
      { snapshot: () => call.actor.getSnapshot(), deliver: call.deliver },
      serializeCall,
    )
  } finally {
    call.actor.stop()
    replayed.add(path)
  }
}

describe('callMachine model', () => {
  // `after` steps advance fake time by exactly the declared delay.
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  for (const { name, input, plan } of plans) {
    describe(name, () => {
      for (const path of plan.paths) {
        it(`should agree with the model along ${path.description}`, () => replay(input, path))
      }
    })
  }

  it('should reach every state and take every transition on a real actor', () => {
    // A gap in the graph is a state or transition the machine itself can never get to.
    const planned = emptyCoverage()
    for (const { plan } of plans) {
      for (const id of plan.planned.states) planned.states.add(id)
      for (const key of plan.planned.transitions) planned.transitions.add(key)
    }
    expect(missing(callMachine, planned), 'unreachable in the graph').toEqual(NOTHING)
    // Replays filtered out of this run (`-t`) still count: run them here.
    for (const { input, plan } of plans) {
      for (const path of plan.paths) if (!replayed.has(path)) replay(input, path)
    }
    expect(missing(callMachine, coverage), 'never taken by a real actor').toEqual(NOTHING)

    const states = stateNodesOf(callMachine).length
    const transitions = transitionsOf(callMachine).length
    const paths = plans.reduce((sum, { plan }) => sum + plan.paths.length, 0)
    const graph = plans.map(({ plan }) => `${plan.vertices} states × ${plan.edges} edges`)
    console.log(
      `call machine: ${states} states, ${transitions} transitions, ${paths} paths — all covered` +
        ` (graphs walked: ${graph.join(', ')})`,
    )
  })
})
