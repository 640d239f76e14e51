import { type ActorRefFrom, sendParent, sendTo, setup } from 'xstate'
import type { CallEvent, PeerStatus } from '../call/call.types'
import { peerConnection } from './peer.actors'
import type { ConnectionReport, PeerCommand, PeerInput } from './peer.types'

type PeerEvent = PeerCommand | ConnectionReport

const connectionIs =
  (...states: RTCPeerConnectionState[]) =>
  ({ event }: { event: PeerEvent }) =>
    event.type === 'PC.STATE' && states.includes(event.state)

/** The negotiation with one remote peer; the call spawns one per peer. */
export const peerMachine = setup({
  types: {
    context: {} as PeerInput,
    input: {} as PeerInput,
    events: {} as PeerEvent,
  },
  actors: { peerConnection },
  actions: {
    reportStatus: sendParent(
      ({ context }, params: { status: PeerStatus }): CallEvent => ({
        type: 'PEER.STATUS',
        peerId: context.peerId,
        status: params.status,
      }),
    ),
    forwardSignal: sendParent(({ context, event }): CallEvent => {
      if (event.type !== 'PC.SIGNAL') throw new Error(`unexpected ${event.type}`)
      return { type: 'PEER.SIGNAL', peerId: context.peerId, signal: event.signal }
    }),
    forwardStream: sendParent(({ context, event }): CallEvent => {
      if (event.type !== 'PC.TRACK') throw new Error(`unexpected ${event.type}`)
      return { type: 'PEER.STREAM', peerId: context.peerId, stream: event.stream }
    }),
    forwardMessage: sendParent(({ context, event }): CallEvent => {
      if (event.type !== 'PC.MESSAGE') throw new Error(`unexpected ${event.type}`)
      return { type: 'PEER.MESSAGE', peerId: context.peerId, data: event.data }
    }),
    forwardError: sendParent(({ context, event }): CallEvent => {
      if (event.type !== 'PC.ERROR') throw new Error(`unexpected ${event.type}`)
      return { type: 'PEER.ERROR', peerId: context.peerId, message: event.message }
    }),
    applyRemoteSignal: sendTo('connection', ({ event }) => {
      if (event.type !== 'SIGNAL.RECEIVED') throw new Error(`unexpected ${event.type}`)
      return { type: 'PC.REMOTE_SIGNAL' as const, signal: event.signal }
    }),
    sendData: sendTo('connection', ({ event }) => {
      if (event.type !== 'DATA.SEND') throw new Error(`unexpected ${event.type}`)
      return { type: 'PC.SEND' as const, data: event.data }
    }),
  },
  guards: {
    isConnected: connectionIs('connected'),
    isInterrupted: connectionIs('disconnected'),
    isFailed: connectionIs('failed', 'closed'),
  },
}).createMachine({
  id: 'peer',
  context: ({ input }) => input,
  invoke: { id: 'connection', src: 'peerConnection', input: ({ context }) => context },
  on: {
    'PC.SIGNAL': { actions: 'forwardSignal' },
    'PC.TRACK': { actions: 'forwardStream' },
    'PC.MESSAGE': { actions: 'forwardMessage' },
    'PC.ERROR': { actions: 'forwardError' },
    'SIGNAL.RECEIVED': { actions: 'applyRemoteSignal' },
    'DATA.SEND': { actions: 'sendData' },
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
          { guard: 'isFailed', target: 'failed' },
        ],
      },
    },
    offering: {
      entry: { type: 'reportStatus', params: { status: 'offering' } },
      on: {
        'PC.ANSWERING': 'answering',
        'PC.STATE': [
          { guard: 'isConnected', target: 'connected' },
          { guard: 'isFailed', target: 'failed' },
        ],
      },
    },
    answering: {
      entry: { type: 'reportStatus', params: { status: 'answering' } },
      on: {
        'PC.OFFERING': 'offering',
        'PC.STATE': [
          { guard: 'isConnected', target: 'connected' },
          { guard: 'isFailed', target: 'failed' },
        ],
      },
    },
    connected: {
      entry: { type: 'reportStatus', params: { status: 'connected' } },
      on: {
        'PC.STATE': [
          { guard: 'isInterrupted', target: 'reconnecting' },
          { guard: 'isFailed', target: 'failed' },
        ],
      },
    },
    reconnecting: {
      entry: { type: 'reportStatus', params: { status: 'reconnecting' } },
      on: {
        'PC.STATE': [
          { guard: 'isConnected', target: 'connected' },
          { guard: 'isFailed', target: 'failed' },
        ],
      },
    },
    failed: {
      entry: { type: 'reportStatus', params: { status: 'failed' } },
    },
  },
})

/** A running negotiation with one peer. */
export type PeerActorRef = ActorRefFrom<typeof peerMachine>
