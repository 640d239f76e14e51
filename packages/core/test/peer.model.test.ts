import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { peerMachine } from '../src/peer/peer.machine'
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
import {
  type PeerEvent,
  type PeerSnapshot,
  peerGraphMachine,
  peerModel,
  serializePeer,
  startPeer,
} from './support/modelPeer'

type PeerPath = ModelPath<PeerSnapshot, PeerEvent>

const NOTHING = { states: [], transitions: [] }

// Generated from the machine's graph: shortest paths into every state, and one per transition.
const plan = planModel(peerGraphMachine, peerModel)

// Filled by the replays: coverage is what real actors went through, not what the model claims.
const coverage = emptyCoverage()
const replayed = new Set<PeerPath>()

function replay(path: PeerPath) {
  const peer = startPeer(coverage)
  for (const id of activeStates(peer.snapshot())) coverage.states.add(id)
  try {
    replayPath(path, { snapshot: peer.snapshot, deliver: peer.deliver }, serializePeer)
  } finally {
    peer.actor.stop()
    replayed.add(path)
  }
}

describe('peerMachine model', () => {
  // `after` steps advance fake time by exactly the declared delay.
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  for (const path of plan.paths) {
    it(`should agree with the model along ${path.description}`, () => replay(path))
  }

  it('should reach every state and take every transition on a real actor', () => {
    // A gap in the graph is a state or transition the machine itself can never get to.
    expect(missing(peerMachine, plan.planned), 'unreachable in the graph').toEqual(NOTHING)
    // Replays filtered out of this run (`-t`) still count: run them here.
    for (const path of plan.paths) if (!replayed.has(path)) replay(path)
    expect(missing(peerMachine, coverage), 'never taken by a real actor').toEqual(NOTHING)

    const states = stateNodesOf(peerMachine).length
    const transitions = transitionsOf(peerMachine).length
    console.log(
      `peer machine: ${states} states, ${transitions} transitions, ${plan.paths.length} paths` +
        ` — all covered (graph walked: ${plan.vertices} states × ${plan.edges} edges)`,
    )
  })
})
