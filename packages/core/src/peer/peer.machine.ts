import { type ActorRefFrom, assign, sendParent, sendTo, setup } from 'xstate'
import { peerConnection } from './peer.actors'
import type {
  ConnectionReport,
  PeerCommand,
  PeerContext,
  PeerInput,
  PeerReport,
  PeerStatus,
} from './peer.types'

type PeerEvent = PeerCommand | ConnectionReport

const connectionIs =
  (...states: RTCPeerConnectionState[]) =>
  ({ event }: { event: PeerEvent }) =>
    event.type === 'PC.STATE' && states.includes(event.state)

const unexpected = (event: PeerEvent): never => {
  throw new Error(`unexpected ${event.type}`)
}

/**
 * The negotiation with one remote peer; the call spawns one per peer. It heals itself: an
 * interruption longer than the grace period, or a failure, triggers ICE restarts with backoff
 * until the connection is back or the restarts are spent.
 */
export const peerMachine = setup({
  types: {
    context: {} as PeerContext,
    input: {} as PeerInput,
    events: {} as PeerEvent,
  },
  actors: { peerConnection },
  actions: {
    reportStatus: sendParent(
      ({ context }, params: { status: PeerStatus }): PeerReport => ({
        type: 'PEER.STATUS',
        peerId: context.peerId,
        status: params.status,
        ...(context.failure ? { reason: context.failure } : {}),
      }),
    ),
    forward: sendParent(({ context, event }): PeerReport => {
      const peerId = context.peerId
      switch (event.type) {
        case 'PC.SIGNAL':
          return { type: 'PEER.SIGNAL', peerId, signal: event.signal }
        case 'PC.TRACK':
          return { type: 'PEER.STREAM', peerId, stream: event.stream }
        case 'PC.MESSAGE':
          return { type: 'PEER.MESSAGE', peerId, data: event.data }
        case 'PC.STATS':
          return { type: 'PEER.STATS', peerId, stats: event.stats }
        case 'PC.FILE':
          return { type: 'PEER.FILE', peerId, report: event.report }
        case 'PC.ERROR':
          return { type: 'PEER.ERROR', peerId, message: event.message }
        default:
          return unexpected(event)
      }
    }),
    command: sendTo('connection', ({ event }) => {
      switch (event.type) {
        case 'SIGNAL.RECEIVED':
          return { type: 'PC.REMOTE_SIGNAL' as const, signal: event.signal }
        case 'DATA.SEND':
          return { type: 'PC.SEND' as const, data: event.data }
        case 'FILE.SEND':
          return {
            type: 'PC.SEND_FILE' as const,
            transferId: event.transferId,
            file: event.file,
            name: event.name,
          }
        case 'FILE.CANCEL':
          return { type: 'PC.CANCEL_FILE' as const, transferId: event.transferId }
        case 'TRACK.REPLACE':
          return { type: 'PC.REPLACE_TRACK' as const, kind: event.kind, track: event.track }
        case 'ICE.SERVERS':
          return { type: 'PC.SET_ICE_SERVERS' as const, iceServers: event.iceServers }
        default:
          return unexpected(event)
      }
    }),
    restartIce: sendTo('connection', { type: 'PC.RESTART_ICE' }),
    countRestart: assign({ iceRestarts: ({ context }) => context.iceRestarts + 1 }),
    resetRestarts: assign({ iceRestarts: 0, failure: null }),
    giveUp: assign({
      failure: ({ context }) =>
        `connection lost; ${context.iceRestarts} ICE restarts did not bring it back`,
    }),
  },
  guards: {
    isConnected: connectionIs('connected'),
    isInterrupted: connectionIs('disconnected'),
    isFailed: connectionIs('failed'),
    canRestart: ({ context }) => context.iceRestarts < context.maxIceRestarts,
  },
  delays: {
    iceGrace: ({ context }) => context.iceGraceMs,
    restartBackoff: ({ context }) =>
      context.restartBackoffMs * 2 ** Math.max(0, context.iceRestarts - 1),
  },
}).createMachine({
  id: 'peer',
  context: ({ input }) => ({ ...input, iceRestarts: 0, failure: null }),
  invoke: { id: 'connection', src: 'peerConnection', input: ({ context }) => context },
  on: {
    'PC.SIGNAL': { actions: 'forward' },
    'PC.TRACK': { actions: 'forward' },
    'PC.MESSAGE': { actions: 'forward' },
    'PC.STATS': { actions: 'forward' },
    'PC.FILE': { actions: 'forward' },
    'PC.ERROR': { actions: 'forward' },
    'SIGNAL.RECEIVED': { actions: 'command' },
    'DATA.SEND': { actions: 'command' },
    'FILE.SEND': { actions: 'command' },
    'FILE.CANCEL': { actions: 'command' },
    'TRACK.REPLACE': { actions: 'command' },
    'ICE.SERVERS': { actions: 'command' },
  },
  initial: 'new',
  states: {
    new: {
      entry: { type: 'reportStatus', params: { status: 'new' } },
      on: {
        'PC.OFFERING': 'offering',
        'PC.ANSWERING': 'answering',
        'PC.STATE': [
          { guard: 'isConnected', target: 'connected' },
          { guard: 'isFailed', target: 'reconnecting' },
        ],
      },
    },
    offering: {
      entry: { type: 'reportStatus', params: { status: 'offering' } },
      on: {
        'PC.ANSWERING': 'answering',
        'PC.STATE': [
          { guard: 'isConnected', target: 'connected' },
          { guard: 'isFailed', target: 'reconnecting' },
        ],
      },
    },
    answering: {
      entry: { type: 'reportStatus', params: { status: 'answering' } },
      on: {
        'PC.OFFERING': 'offering',
        'PC.STATE': [
          { guard: 'isConnected', target: 'connected' },
          { guard: 'isFailed', target: 'reconnecting' },
        ],
      },
    },
    connected: {
      entry: ['resetRestarts', { type: 'reportStatus', params: { status: 'connected' } }],
      on: {
        'ICE.RESTART': { actions: 'restartIce' },
        'PC.STATE': { guard: 'isFailed', target: 'reconnecting' },
      },
      initial: 'stable',
      states: {
        stable: {
          on: { 'PC.STATE': { guard: 'isInterrupted', target: 'interrupted' } },
        },
        // ICE often recovers from a blip by itself; restarting at once would waste a round trip.
        interrupted: {
          after: { iceGrace: '#peer.reconnecting' },
          on: { 'PC.STATE': { guard: 'isConnected', target: 'stable' } },
        },
      },
    },
    reconnecting: {
      entry: [
        { type: 'reportStatus', params: { status: 'reconnecting' } },
        'countRestart',
        'restartIce',
      ],
      after: {
        restartBackoff: [
          { guard: 'canRestart', target: 'reconnecting', reenter: true },
          { target: 'failed', actions: 'giveUp' },
        ],
      },
      on: { 'PC.STATE': { guard: 'isConnected', target: 'connected' } },
    },
    failed: {
      entry: { type: 'reportStatus', params: { status: 'failed' } },
      on: { 'PC.STATE': { guard: 'isConnected', target: 'connected' } },
    },
  },
})

/** A running negotiation with one peer. */
export type PeerActorRef = ActorRefFrom<typeof peerMachine>
