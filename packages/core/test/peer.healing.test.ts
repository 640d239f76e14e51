import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createActor, fromCallback, setup } from 'xstate'
import { DEFAULT_HEALING } from '../src/call/call.machine'
import { canRestartAgain, healingSpentMs, restartBackoffMs } from '../src/peer/peer.healing'
import { peerMachine } from '../src/peer/peer.machine'
import type { ConnectionReport, PeerCommand, PeerInput, PeerReport } from '../src/peer/peer.types'

// Issue #17: a 25 s outage used to end the call, the three ICE restarts spent within 10 s.
// Restarts now go on, at most `maxRestartBackoffMs` apart, for the whole healing budget.

describe('the healing budget', () => {
  it('should double the wait between restarts up to the cap', () => {
    const waits = [1, 2, 3, 4, 5, 6].map((restart) => restartBackoffMs(restart, DEFAULT_HEALING))
    expect(waits).toEqual([1000, 2000, 4000, 4000, 4000, 4000])
  })

  it('should restart for the whole budget by default, at least a minute', () => {
    const restarts = Array.from({ length: 100 }, (_, n) => n).find(
      (n) => !canRestartAgain(n, DEFAULT_HEALING),
    )
    expect(restarts).toBeDefined()
    const spent = healingSpentMs(restarts ?? 0, DEFAULT_HEALING)
    expect(spent).toBeGreaterThanOrEqual(60_000)
    expect(spent).toBeGreaterThanOrEqual(DEFAULT_HEALING.budgetMs)
    expect(spent).toBeLessThan(DEFAULT_HEALING.budgetMs + DEFAULT_HEALING.maxRestartBackoffMs)
  })

  it('should stop at maxIceRestarts when that comes before the budget', () => {
    const options = { ...DEFAULT_HEALING, maxIceRestarts: 2 }
    expect(canRestartAgain(1, options)).toBe(true)
    expect(canRestartAgain(2, options)).toBe(false)
  })
})

/** A real negotiation under a parent that keeps its reports, with a connection the test drives. */
function startPeer(healing: Partial<PeerInput> = {}) {
  const commands: PeerCommand[] = []
  let report: ((event: ConnectionReport) => void) | null = null
  const machine = peerMachine.provide({
    actors: {
      peerConnection: fromCallback<PeerCommand, PeerInput, ConnectionReport>(
        ({ sendBack, receive }) => {
          report = sendBack
          receive((command) => commands.push(command))
        },
      ),
    },
  })
  const reports: PeerReport[] = []
  const input: PeerInput = {
    peerId: 'bob',
    polite: true,
    initiator: true,
    localStream: null,
    mediaKinds: [],
    iceServers: [],
    dataChannel: false,
    statsIntervalMs: 0,
    preferredCodecs: [],
    iceTransportPolicy: 'all',
    videoQuality: null,
    ...DEFAULT_HEALING,
    ...healing,
    RTCPeerConnection: globalThis.RTCPeerConnection,
    MediaStream: undefined,
  }
  const parent = setup({
    types: { events: {} as PeerReport },
    actors: { peer: machine },
  }).createMachine({
    invoke: { id: 'peer', src: 'peer', input },
    on: { '*': { actions: ({ event }) => reports.push(event) } },
  })
  const actor = createActor(parent).start()
  const connection = (state: RTCPeerConnectionState) => report?.({ type: 'PC.STATE', state })
  const restarts = () => commands.filter((command) => command.type === 'CALL.RESTART_ICE').length
  const status = () =>
    reports.flatMap((event) => (event.type === 'PEER.STATUS' ? [event] : [])).at(-1)
  const peer = () => actor.getSnapshot().children.peer
  return { actor, connection, restarts, status, peer }
}

describe('a peer healing an outage', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('should keep restarting ICE through a 60 s outage and come back when the network does', () => {
    const { actor, connection, restarts, status } = startPeer()
    connection('connected')
    connection('failed')
    expect(status()?.status).toBe('reconnecting')
    vi.advanceTimersByTime(60_000)
    // 1 + 2 + 4 s, then every 4 s: a restart is never more than the cap away.
    expect(restarts()).toBeGreaterThanOrEqual(16)
    expect(status()?.status).toBe('reconnecting')
    connection('connected')
    expect(status()?.status).toBe('connected')
    actor.stop()
  })

  it('should say failed only once the budget is spent, with how long it tried', () => {
    const { actor, connection, restarts, status } = startPeer({ budgetMs: 20_000 })
    connection('connected')
    connection('failed')
    vi.advanceTimersByTime(19_000)
    expect(status()?.status).toBe('reconnecting')
    vi.advanceTimersByTime(DEFAULT_HEALING.maxRestartBackoffMs)
    expect(status()).toMatchObject({
      status: 'failed',
      reason: `connection lost; ${restarts()} ICE restarts did not bring it back in 23 s`,
    })
    actor.stop()
  })

  it('should restart at once when told the way is back, not at the next backoff', () => {
    const { actor, connection, restarts, peer } = startPeer()
    connection('connected')
    connection('failed')
    vi.advanceTimersByTime(10_000)
    const before = restarts()
    peer()?.send({ type: 'CALL.RESTART_ICE' })
    expect(restarts()).toBe(before + 1)
    actor.stop()
  })
})
