import { type ActorRefFrom, assign, forwardTo, sendParent, sendTo, setup } from 'xstate'
import { peerConnection } from './peer.actors'
import { canRestartAgain, healingSpentMs, restartBackoffMs } from './peer.healing'
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

/**
 * The negotiation with one remote peer; the call spawns one per peer. It heals itself: an
 * interruption longer than the grace period, or a failure, triggers ICE restarts with capped
 * backoff until the connection is back or the healing budget is spent. Commands and reports keep the call's
 * names on their way through: it forwards them, never renames them.
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
    reportInterrupted: sendParent(
      ({ context }, params: { interrupted: boolean }): PeerReport => ({
        type: 'PEER.INTERRUPTED',
        peerId: context.peerId,
        interrupted: params.interrupted,
      }),
    ),
    // The connection's reports already carry the call's names and this peer's id.
    toCall: sendParent(({ event }) => event),
    toConnection: forwardTo('connection'),
    restartIce: sendTo('connection', { type: 'CALL.RESTART_ICE' }),
    countRestart: assign({ iceRestarts: ({ context }) => context.iceRestarts + 1 }),
    resetRestarts: assign({ iceRestarts: 0, failure: null }),
    giveUp: assign({
      failure: ({ context }) =>
        `connection lost; ${context.iceRestarts} ICE restarts did not bring it back in ${Math.round(healingSpentMs(context.iceRestarts, context) / 1000)} s`,
    }),
  },
  guards: {
    isConnected: connectionIs('connected'),
    // `connecting` once connected: ICE checks again (Firefox does from the moment it takes
    // the other side's restart) and, if they stall past the grace period, this side restarts too.
    isInterrupted: connectionIs('disconnected', 'connecting'),
    isFailed: connectionIs('failed'),
    canRestart: ({ context }) => canRestartAgain(context.iceRestarts, context),
  },
  delays: {
    iceGrace: ({ context }) => context.iceGraceMs,
    restartBackoff: ({ context }) => restartBackoffMs(context.iceRestarts, context),
  },
}).createMachine({
  id: 'peer',
  context: ({ input }) => ({ ...input, iceRestarts: 0, failure: null }),
  invoke: { id: 'connection', src: 'peerConnection', input: ({ context }) => context },
  on: {
    'PEER.*': { actions: 'toCall' },
    'SIGNAL.RECEIVED': { actions: 'toConnection' },
    'CALL.SEND': { actions: 'toConnection' },
    'CALL.SEND_FILE': { actions: 'toConnection' },
    'CALL.CANCEL_FILE': { actions: 'toConnection' },
    'CALL.VIDEO_QUALITY': { actions: 'toConnection' },
    'MEDIA.TRACK': { actions: 'toConnection' },
    'ICE.REFRESHED': { actions: 'toConnection' },
    'VIDEO.CAP': { actions: 'toConnection' },
  },
  initial: 'negotiating',
  states: {
    // Until the connection is first up, its state moves the peer the same way from each step.
    negotiating: {
      on: {
        'PC.STATE': [
          { guard: 'isConnected', target: 'connected' },
          { guard: 'isFailed', target: 'reconnecting' },
        ],
      },
      initial: 'new',
      states: {
        new: {
          entry: { type: 'reportStatus', params: { status: 'new' } },
          on: { 'PC.OFFERING': 'offering', 'PC.ANSWERING': 'answering' },
        },
        offering: {
          entry: { type: 'reportStatus', params: { status: 'offering' } },
          on: { 'PC.ANSWERING': 'answering' },
        },
        answering: {
          entry: { type: 'reportStatus', params: { status: 'answering' } },
          on: { 'PC.OFFERING': 'offering' },
        },
      },
    },
    connected: {
      entry: ['resetRestarts', { type: 'reportStatus', params: { status: 'connected' } }],
      on: {
        'CALL.RESTART_ICE': { actions: 'toConnection' },
        'PC.STATE': { guard: 'isFailed', target: 'reconnecting' },
      },
      initial: 'stable',
      states: {
        // Also entered after a restart brought the connection back: the peer is there again.
        stable: {
          entry: { type: 'reportInterrupted', params: { interrupted: false } },
          on: { 'PC.STATE': { guard: 'isInterrupted', target: 'interrupted' } },
        },
        // ICE often recovers from a blip by itself; restarting at once would waste a round trip.
        interrupted: {
          // Said at once, not after the grace period: the call shows the peer as away meanwhile.
          entry: { type: 'reportInterrupted', params: { interrupted: true } },
          after: { iceGrace: '#peer.reconnecting' },
          on: { 'PC.STATE': { guard: 'isConnected', target: 'stable' } },
        },
      },
    },
    // Restarts ICE again and again, further and further apart (up to a cap), until the
    // connection is back or the budget is spent: the network may return at any moment.
    reconnecting: {
      entry: { type: 'reportStatus', params: { status: 'reconnecting' } },
      on: { 'PC.STATE': { guard: 'isConnected', target: 'connected' } },
      initial: 'restarting',
      states: {
        restarting: {
          entry: ['countRestart', 'restartIce'],
          after: {
            restartBackoff: [
              { guard: 'canRestart', target: 'restarting', reenter: true },
              { target: '#peer.failed', actions: 'giveUp' },
            ],
          },
          // The signaling or the network just came back: restart now rather than at the next
          // backoff, which may be seconds away.
          on: { 'CALL.RESTART_ICE': { guard: 'canRestart', target: 'restarting', reenter: true } },
        },
      },
    },
    failed: {
      entry: { type: 'reportStatus', params: { status: 'failed' } },
      on: { 'PC.STATE': { guard: 'isConnected', target: 'connected' } },
    },
  },
})

/** A running negotiation with one peer. */
export type PeerActorRef = ActorRefFrom<typeof peerMachine>
