import { assign, emit, enqueueActions, sendTo, setup, spawnChild } from 'xstate'
import { peerMachine } from '../peer/peer.machine'
import { isRoomId } from '../protocol'
import { createSocketSignaling } from '../signaling/createSocketSignaling'
import type { SignalingTransport } from '../signaling/signaling.types'
import { localMedia, signalingSession } from './call.actors'
import { peerActorId, type SessionStatus, sessionStatus, updatePeer } from './call.peers'
import type {
  CallEmitted,
  CallError,
  CallEvent,
  CallOptions,
  PeerView,
  Platform,
} from './call.types'

/** Everything the call machine remembers. */
export interface CallContext {
  createTransport: () => SignalingTransport
  constraints: MediaStreamConstraints | false
  userIceServers: RTCIceServer[]
  dataChannel: boolean
  platform: Platform | null
  roomId: string | null
  peerId: string | null
  joinRequested: boolean
  localStream: MediaStream | null
  iceServers: RTCIceServer[]
  peers: PeerView[]
  error: CallError | null
}

const DEFAULT_CONSTRAINTS: MediaStreamConstraints = { audio: true, video: true }

function initialContext(options: CallOptions): CallContext {
  const { signaling } = options
  return {
    createTransport:
      typeof signaling === 'string' ? () => createSocketSignaling(signaling) : signaling,
    constraints: options.media ?? DEFAULT_CONSTRAINTS,
    userIceServers: options.iceServers ?? [],
    dataChannel: options.dataChannel ?? true,
    platform: options.platform ?? null,
    roomId: options.roomId ?? null,
    peerId: null,
    joinRequested: false,
    localStream: null,
    iceServers: options.iceServers ?? [],
    peers: [],
    error: null,
  }
}

// Resolved when used, not when the call is created, so creating a call during SSR is harmless.
function platformOf(context: CallContext): Platform {
  if (context.platform) return context.platform
  return {
    RTCPeerConnection: globalThis.RTCPeerConnection,
    mediaDevices: globalThis.navigator?.mediaDevices,
  }
}

const SESSION_TARGETS: Record<SessionStatus, string> = {
  ready: '#call.ready.waiting',
  offering: '#call.offering',
  answering: '#call.answering',
  connected: '#call.connected',
  reconnecting: '#call.reconnecting',
  failed: '#call.failed',
}

// Each in-room state follows what its peers add up to; listing every other target explicitly
// keeps the diagram honest about where a call can go next.
function followPeers(own: SessionStatus) {
  return (Object.keys(SESSION_TARGETS) as SessionStatus[])
    .filter((status) => status !== own)
    .map((status) => ({
      guard: { type: 'sessionIs' as const, params: { status } },
      target: SESSION_TARGETS[status],
      ...(status === 'failed' ? { actions: 'markConnectionFailed' as const } : {}),
    }))
}

/** The call: local media, the room, and one negotiation actor per remote peer. */
export const callMachine = setup({
  types: {
    context: {} as CallContext,
    input: {} as CallOptions,
    events: {} as CallEvent,
    emitted: {} as CallEmitted,
  },
  actors: { localMedia, signalingSession, peer: peerMachine },
  actions: {
    requestJoin: assign(({ context, event }) => ({
      joinRequested: true,
      roomId: (event.type === 'CALL.JOIN' ? event.roomId : undefined) ?? context.roomId,
    })),
    rejectJoin: emit(
      (): CallEmitted => ({
        type: 'error',
        error: { code: 'INVALID_PAYLOAD', message: 'join needs a valid room id' },
      }),
    ),
    acquireMedia: spawnChild('localMedia', {
      id: 'media',
      input: ({ context }) => ({
        constraints: context.constraints,
        mediaDevices: platformOf(context).mediaDevices,
      }),
    }),
    keepLocalStream: assign({
      localStream: ({ event }) => (event.type === 'MEDIA.READY' ? event.stream : null),
    }),
    openSignaling: spawnChild('signalingSession', {
      id: 'signaling',
      input: ({ context }) => ({
        createTransport: context.createTransport,
        roomId: context.roomId ?? '',
      }),
    }),
    enterRoom: assign(({ context, event }) => {
      if (event.type !== 'ROOM.JOINED') return {}
      const { result } = event
      return {
        roomId: result.roomId,
        peerId: result.peerId,
        iceServers: [...result.iceServers, ...context.userIceServers],
      }
    }),
    connectPeers: enqueueActions(({ context, event, enqueue }) => {
      const incoming =
        event.type === 'ROOM.JOINED'
          ? event.result.peers.map((peer) => ({ peerId: peer.peerId, initiator: true }))
          : event.type === 'PEER.JOINED' || event.type === 'SIGNAL.RECEIVED'
            ? [
                {
                  peerId: event.type === 'PEER.JOINED' ? event.peerId : event.from,
                  initiator: false,
                },
              ]
            : []
      const fresh = incoming.filter(({ peerId }) => !context.peers.some((p) => p.peerId === peerId))
      if (fresh.length === 0) return
      const selfId = context.peerId ?? ''
      enqueue.assign({
        peers: [
          ...context.peers,
          ...fresh.map(({ peerId }) => ({
            peerId,
            status: 'new' as const,
            polite: selfId < peerId,
            stream: null,
          })),
        ],
      })
      for (const { peerId, initiator } of fresh) {
        enqueue.spawnChild('peer', {
          id: peerActorId(peerId),
          input: {
            peerId,
            polite: selfId < peerId,
            initiator,
            localStream: context.localStream,
            iceServers: context.iceServers,
            dataChannel: context.dataChannel,
            RTCPeerConnection: platformOf(context).RTCPeerConnection,
          },
        })
      }
    }),
    disconnectPeer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'PEER.LEFT') return
      enqueue.stopChild(peerActorId(event.peerId))
      enqueue.assign({ peers: context.peers.filter((peer) => peer.peerId !== event.peerId) })
    }),
    routeSignal: sendTo(
      ({ event }) => peerActorId(event.type === 'SIGNAL.RECEIVED' ? event.from : ''),
      ({ event }) => {
        if (event.type !== 'SIGNAL.RECEIVED') throw new Error(`unexpected ${event.type}`)
        return { type: 'SIGNAL.RECEIVED' as const, signal: event.signal }
      },
    ),
    relaySignal: sendTo('signaling', ({ event }) => {
      if (event.type !== 'PEER.SIGNAL') throw new Error(`unexpected ${event.type}`)
      return { type: 'SIGNALING.SEND' as const, to: event.peerId, signal: event.signal }
    }),
    trackPeerStatus: assign({
      peers: ({ context, event }) =>
        event.type === 'PEER.STATUS'
          ? updatePeer(context.peers, event.peerId, { status: event.status })
          : context.peers,
    }),
    trackPeerStream: assign({
      peers: ({ context, event }) =>
        event.type === 'PEER.STREAM'
          ? updatePeer(context.peers, event.peerId, { stream: event.stream })
          : context.peers,
    }),
    emitMessage: emit(({ event }): CallEmitted => {
      if (event.type !== 'PEER.MESSAGE') throw new Error(`unexpected ${event.type}`)
      return { type: 'message', peerId: event.peerId, data: event.data }
    }),
    emitPeerError: emit(({ event }): CallEmitted => {
      if (event.type !== 'PEER.ERROR') throw new Error(`unexpected ${event.type}`)
      return {
        type: 'error',
        error: { code: 'connection-failed', message: `${event.peerId}: ${event.message}` },
      }
    }),
    emitSignalingError: emit(({ event }): CallEmitted => {
      if (event.type !== 'SIGNALING.ERROR') throw new Error(`unexpected ${event.type}`)
      return { type: 'error', error: event.error }
    }),
    sendData: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'CALL.SEND') return
      for (const peer of context.peers) {
        if (event.to === undefined || event.to === peer.peerId) {
          enqueue.sendTo(peerActorId(peer.peerId), { type: 'DATA.SEND', data: event.data })
        }
      }
    }),
    keepError: assign({
      error: ({ event }) =>
        event.type === 'MEDIA.FAILED' || event.type === 'ROOM.FAILED' ? event.error : null,
    }),
    markConnectionFailed: assign({
      error: (): CallError => ({
        code: 'connection-failed',
        message: 'the connection to every peer failed',
      }),
    }),
  },
  guards: {
    canJoin: ({ context, event }) =>
      isRoomId(event.type === 'CALL.JOIN' && event.roomId ? event.roomId : context.roomId),
    joinRequested: ({ context }) => context.joinRequested,
    isKnownPeer: ({ context, event }) =>
      event.type === 'SIGNAL.RECEIVED' && context.peers.some((peer) => peer.peerId === event.from),
    sessionIs: ({ context }, params: { status: SessionStatus }) =>
      sessionStatus(context.peers) === params.status,
  },
}).createMachine({
  id: 'call',
  context: ({ input }) => initialContext(input),
  on: {
    'CALL.HANG_UP': '.ended',
    'PEER.JOINED': { actions: 'connectPeers' },
    'PEER.LEFT': { actions: 'disconnectPeer' },
    'SIGNAL.RECEIVED': [
      { guard: 'isKnownPeer', actions: 'routeSignal' },
      // A signal can beat its peer:joined only through a misbehaving relay; answer it anyway.
      { actions: ['connectPeers', 'routeSignal'] },
    ],
    'PEER.SIGNAL': { actions: 'relaySignal' },
    'PEER.STATUS': { actions: 'trackPeerStatus' },
    'PEER.STREAM': { actions: 'trackPeerStream' },
    'PEER.MESSAGE': { actions: 'emitMessage' },
    'PEER.ERROR': { actions: 'emitPeerError' },
    'SIGNALING.ERROR': { actions: 'emitSignalingError' },
    'CALL.SEND': { actions: 'sendData' },
  },
  initial: 'idle',
  states: {
    idle: {
      on: {
        'CALL.START': 'media',
        'CALL.JOIN': [
          { guard: 'canJoin', target: 'media', actions: 'requestJoin' },
          { actions: 'rejectJoin' },
        ],
      },
    },
    media: {
      entry: 'acquireMedia',
      on: { 'MEDIA.FAILED': { target: 'failed', actions: 'keepError' } },
      initial: 'acquiring',
      states: {
        acquiring: {
          on: {
            'MEDIA.READY': [
              { guard: 'joinRequested', target: '#call.ready', actions: 'keepLocalStream' },
              { target: 'preview', actions: 'keepLocalStream' },
            ],
            'CALL.JOIN': [{ guard: 'canJoin', actions: 'requestJoin' }, { actions: 'rejectJoin' }],
          },
        },
        preview: {
          on: {
            'CALL.JOIN': [
              { guard: 'canJoin', target: '#call.ready', actions: 'requestJoin' },
              { actions: 'rejectJoin' },
            ],
          },
        },
      },
    },
    ready: {
      initial: 'joining',
      states: {
        joining: {
          entry: 'openSignaling',
          on: {
            'ROOM.JOINED': { target: 'waiting', actions: ['enterRoom', 'connectPeers'] },
            'ROOM.FAILED': { target: '#call.failed', actions: 'keepError' },
          },
        },
        waiting: { always: followPeers('ready') },
      },
    },
    offering: { always: followPeers('offering') },
    answering: { always: followPeers('answering') },
    connected: { always: followPeers('connected') },
    reconnecting: { always: followPeers('reconnecting') },
    ended: { type: 'final' },
    failed: { type: 'final' },
  },
})
