import { expect, vi } from 'vitest'
import {
  type AnyActorRef,
  createActor,
  type EventFromLogic,
  fromCallback,
  type SnapshotFrom,
  setup,
} from 'xstate'
import { DEFAULT_HEALING } from '../../src/call/call.machine'
import { restartBackoffMs } from '../../src/peer/peer.healing'
import { peerMachine } from '../../src/peer/peer.machine'
import type {
  ConnectionReport,
  PeerCommand,
  PeerInput,
  PeerReport,
} from '../../src/peer/peer.types'
import { OFFER, STATS, STREAM } from './modelFixtures'
import { type Coverage, type ModelOptions, recordMicrostep, stateNodesOf } from './modelGraph'

export type PeerSnapshot = SnapshotFrom<typeof peerMachine>
export type PeerEvent = EventFromLogic<typeof peerMachine>

/**
 * The negotiation under test, with the default self-healing policy (2 s grace, 1/2/4 s backoff)
 * but three restarts at most: the graph counts restarts, and the default budget allows dozens.
 */
export const PEER_INPUT: PeerInput = {
  peerId: 'alice',
  polite: true,
  initiator: true,
  localStream: null,
  mediaKinds: ['audio', 'video'],
  iceServers: [],
  dataChannel: true,
  statsIntervalMs: 0,
  ...DEFAULT_HEALING,
  maxIceRestarts: 3,
  // Only the real connection actor constructs it; the stand-in never does.
  RTCPeerConnection: globalThis.RTCPeerConnection,
  MediaStream: undefined,
  preferredCodecs: [],
  iceTransportPolicy: 'all',
  videoQuality: null,
}

const CONNECTION_STATES: RTCPeerConnectionState[] = [
  'new',
  'connecting',
  'connected',
  'disconnected',
  'failed',
  'closed',
]

/**
 * Everything that can reach a negotiation: its connection's reports (every connection state)
 * and the call's commands. `after` timers need no sample: @xstate/graph offers each state's
 * `xstate.after.*` event itself, and the replay turns it into elapsed fake time.
 */
export const PEER_EVENTS: PeerEvent[] = [
  { type: 'PC.OFFERING' },
  { type: 'PC.ANSWERING' },
  ...CONNECTION_STATES.map((state): PeerEvent => ({ type: 'PC.STATE', state })),
  { type: 'PEER.SIGNAL', peerId: 'alice', signal: OFFER },
  { type: 'PEER.STREAM', peerId: 'alice', stream: STREAM },
  { type: 'PEER.MESSAGE', peerId: 'alice', data: 'pong' },
  { type: 'PEER.STATS', peerId: 'alice', stats: STATS, quality: 'excellent' },
  {
    type: 'PEER.FILE',
    peerId: 'alice',
    report: { kind: 'sent', transferId: 't1', name: 'x.txt', size: 1 },
  },
  { type: 'PEER.ERROR', peerId: 'alice', message: 'scripted' },
  { type: 'SIGNAL.RECEIVED', from: 'alice', signal: OFFER },
  { type: 'CALL.SEND', data: 'hi' },
  { type: 'CALL.SEND_FILE', transferId: 't1', file: new Blob(['x']), name: 'x.txt' },
  { type: 'CALL.CANCEL_FILE', transferId: 't1' },
  { type: 'MEDIA.TRACK', kind: 'video', track: null },
  { type: 'ICE.REFRESHED', iceServers: [{ urls: 'turn:127.0.0.1' }] },
  { type: 'VIDEO.CAP', maxBitrate: 625_000 },
  { type: 'CALL.RESTART_ICE' },
  { type: 'CALL.VIDEO_QUALITY', quality: { maxBitrate: 150_000 } },
]

/** The state, and the healing bookkeeping the `canRestart` guard and backoff delay read. */
export function serializePeer(snapshot: PeerSnapshot): string {
  const { iceRestarts, failure } = snapshot.context
  return JSON.stringify({ status: snapshot.status, value: snapshot.value, iceRestarts, failure })
}

/**
 * The machine @xstate/graph walks. Its traversal runs actions in a scope with no parent, where
 * `sendParent` throws; the two reporting actions only talk to the call, so the walk skips them.
 * Replays run the real ones and check what they report.
 */
export const peerGraphMachine = peerMachine.provide({
  actions: { reportStatus: () => {}, reportInterrupted: () => {}, toCall: () => {} },
})

export const peerModel: ModelOptions<PeerSnapshot, PeerEvent, PeerInput> = {
  input: PEER_INPUT,
  events: () => PEER_EVENTS,
  serializeState: serializePeer,
}

// The `after` event each state's timer raises, mapped to the named delay behind it.
const DELAYS = new Map(
  stateNodesOf(peerMachine).flatMap((node) =>
    node.after.map((delayed) => [delayed.eventType, String(delayed.delay)] as const),
  ),
)

/** The delay policy as documented: a fixed grace period, then a capped backoff per restart. */
function expectedDelayMs(delay: string, iceRestarts: number): number {
  if (delay === 'iceGrace') return PEER_INPUT.iceGraceMs
  if (delay === 'restartBackoff') return restartBackoffMs(iceRestarts, PEER_INPUT)
  throw new Error(`no expectation for delay ${delay}`)
}

// Issue #12: a negotiation passes events on under the names they came by, never renamed.
const PASSED_TO_CALL: PeerEvent['type'][] = [
  'PEER.SIGNAL',
  'PEER.STREAM',
  'PEER.MESSAGE',
  'PEER.STATS',
  'PEER.FILE',
  'PEER.ERROR',
]

const PASSED_TO_CONNECTION: PeerEvent['type'][] = [
  'SIGNAL.RECEIVED',
  'CALL.VIDEO_QUALITY',
  'CALL.SEND',
  'CALL.SEND_FILE',
  'CALL.CANCEL_FILE',
  'MEDIA.TRACK',
  'ICE.REFRESHED',
  'VIDEO.CAP',
]

const isConnectionReport = (event: PeerEvent): event is ConnectionReport =>
  event.type.startsWith('PC.') || PASSED_TO_CALL.includes(event.type)

// The status the peer reports is its leaf state while negotiating, else its top-level state.
const statusOf = (snapshot: PeerSnapshot) => {
  const { value } = snapshot
  if (typeof value === 'string') return value
  const [top, inner] = Object.entries(value)[0]!
  return top === 'negotiating' && typeof inner === 'string' ? inner : top
}

/**
 * A real negotiation actor under a parent that records what it reports (`sendParent` needs one),
 * with a stand-in connection the replay reports through. Needs `vi.useFakeTimers()`.
 */
export function startPeer(coverage: Coverage) {
  if (!vi.isFakeTimers()) throw new Error('peer replays drive `after` with fake timers')
  const commands: PeerCommand[] = []
  let report: ((event: ConnectionReport) => void) | null = null
  const machine = peerMachine.provide({
    actors: {
      peerConnection: fromCallback<PeerCommand, PeerInput, ConnectionReport>(
        ({ sendBack, receive }) => {
          report = sendBack
          receive((command) => commands.push(command))
          return () => {
            report = null
          }
        },
      ),
    },
  })
  const reports: PeerReport[] = []
  const parent = setup({
    types: { events: {} as PeerReport, children: {} as { peer: 'peer' } },
    actors: { peer: machine },
  }).createMachine({
    invoke: { id: 'peer', src: 'peer', input: PEER_INPUT },
    on: { '*': { actions: ({ event }) => reports.push(event) } },
  })
  let peerRef: AnyActorRef | undefined
  const actor = createActor(parent, {
    // Only the negotiation's own microsteps: the parent's bookkeeping is not under test.
    inspect: (event) => {
      if (event.actorRef === peerRef) recordMicrostep(coverage, event)
    },
  })
  // Invoked children exist from the initial snapshot on; they start with their parent.
  peerRef = actor.getSnapshot().children.peer
  actor.start()

  const peer = () => {
    const ref = actor.getSnapshot().children.peer
    if (!ref) throw new Error('the negotiation is gone')
    return ref
  }
  const snapshot = () => peer().getSnapshot()
  const statuses = () => reports.flatMap((event) => (event.type === 'PEER.STATUS' ? [event] : []))

  // What the negotiation tells its connection and its call must follow from the step taken.
  const checkEffects = (event: PeerEvent, before: PeerSnapshot, sent: number, told: number) => {
    const after = snapshot()
    const lastStatus = statuses().at(-1)
    expect(lastStatus?.status, 'the reported status mirrors the state').toBe(statusOf(after))
    expect(lastStatus?.peerId).toBe(PEER_INPUT.peerId)
    if (PASSED_TO_CALL.includes(event.type)) expect(reports.slice(told)).toEqual([event])
    const commanded = PASSED_TO_CONNECTION.includes(event.type)
    if (commanded) expect(commands.slice(sent)).toEqual([event])
    const restarted =
      after.context.iceRestarts > before.context.iceRestarts ||
      (event.type === 'CALL.RESTART_ICE' && after.matches('connected'))
    if (restarted) expect(commands.slice(sent).map((c) => c.type)).toEqual(['CALL.RESTART_ICE'])
    else if (!commanded) expect(commands.slice(sent)).toEqual([])
  }

  return {
    actor,
    snapshot,
    deliver(event: PeerEvent) {
      const before = snapshot()
      const [sent, told] = [commands.length, reports.length]
      const delay = DELAYS.get(event.type)
      if (delay !== undefined) {
        const ms = expectedDelayMs(delay, before.context.iceRestarts)
        vi.advanceTimersByTime(ms - 1)
        expect(serializePeer(snapshot()), `${delay} must not fire before ${ms} ms`).toBe(
          serializePeer(before),
        )
        vi.advanceTimersByTime(1)
      } else if (isConnectionReport(event)) {
        if (!report) throw new Error('the connection actor is not running')
        report(event)
      } else {
        peer().send(event)
      }
      checkEffects(event, before, sent, told)
    },
  }
}
