import { assign, emit, enqueueActions, sendTo, setup, spawnChild } from 'xstate'
import { localMedia } from '../media/localMedia'
import type { DeviceInfo, LocalMediaState } from '../media/media.types'
import { peerMachine } from '../peer/peer.machine'
import type { HealingOptions } from '../peer/peer.types'
import { createSpareSlot, type SpareSlot, spareConnection } from '../peer/spareConnection'
import { isRoomId } from '../protocol'
import { createSocketSignaling } from '../signaling/createSocketSignaling'
import type { SignalingTransport } from '../signaling/signaling.types'
import { signalingSession } from './call.actors'
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
  receiveOnlyFallback: boolean
  /** Media kinds every peer connection negotiates, whether or not a track is there to send. */
  mediaKinds: ('audio' | 'video')[]
  userIceServers: RTCIceServer[]
  dataChannel: boolean
  warmUp: boolean
  /** The connection built ahead of the join, until the first negotiation takes it. */
  spares: SpareSlot
  statsIntervalMs: number
  healing: HealingOptions
  platform: Platform | null
  roomId: string | null
  peerId: string | null
  joinRequested: boolean
  /** False while the signaling connection is down and being restored; calls go on meanwhile. */
  signalingConnected: boolean
  mediaStarted: boolean
  media: LocalMediaState
  devices: DeviceInfo[]
  iceServers: RTCIceServer[]
  peers: PeerView[]
  error: CallError | null
}

const DEFAULT_CONSTRAINTS: MediaStreamConstraints = { audio: true, video: true }

/** Self-healing defaults: a 2 s grace period, then up to 3 ICE restarts 1 s, 2 s, 4 s apart. */
export const DEFAULT_HEALING: HealingOptions = {
  iceGraceMs: 2000,
  maxIceRestarts: 3,
  restartBackoffMs: 1000,
}

const NO_MEDIA: LocalMediaState = {
  stream: null,
  micEnabled: false,
  cameraEnabled: false,
  screenSharing: false,
}

function mediaKindsOf(constraints: MediaStreamConstraints | false): ('audio' | 'video')[] {
  if (!constraints) return []
  return (['audio', 'video'] as const).filter((kind) => Boolean(constraints[kind]))
}

function initialContext(options: CallOptions): CallContext {
  const { signaling } = options
  const constraints = options.media ?? DEFAULT_CONSTRAINTS
  return {
    createTransport:
      typeof signaling === 'string' ? () => createSocketSignaling(signaling) : signaling,
    constraints,
    receiveOnlyFallback: options.receiveOnlyFallback ?? false,
    mediaKinds: mediaKindsOf(constraints),
    userIceServers: options.iceServers ?? [],
    dataChannel: options.dataChannel ?? true,
    warmUp: options.warmUp ?? true,
    spares: createSpareSlot(),
    statsIntervalMs: options.statsIntervalMs ?? 1000,
    healing: { ...DEFAULT_HEALING, ...options.healing },
    platform: options.platform ?? null,
    roomId: options.roomId ?? null,
    peerId: null,
    joinRequested: false,
    signalingConnected: true,
    mediaStarted: false,
    media: NO_MEDIA,
    devices: [],
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
    MediaStream: globalThis.MediaStream,
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
  actors: { localMedia, signalingSession, peer: peerMachine, spareConnection },
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
    acquireMedia: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ mediaStarted: true })
      enqueue.spawnChild('localMedia', {
        id: 'media',
        input: {
          constraints: context.constraints,
          mediaDevices: platformOf(context).mediaDevices,
          MediaStream: platformOf(context).MediaStream,
        },
      })
    }),
    keepMedia: assign({
      media: ({ context, event }) =>
        event.type === 'MEDIA.READY' || event.type === 'MEDIA.UPDATED'
          ? event.media
          : context.media,
    }),
    keepDevices: assign({
      devices: ({ context, event }) =>
        event.type === 'MEDIA.DEVICES' ? event.devices : context.devices,
    }),
    commandMedia: sendTo('media', ({ event }) => {
      if (!event.type.startsWith('MEDIA.')) throw new Error(`unexpected ${event.type}`)
      return event
    }),
    replaceTrack: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'MEDIA.TRACK') return
      for (const peer of context.peers) {
        enqueue.sendTo(peerActorId(peer.peerId), {
          type: 'TRACK.REPLACE',
          kind: event.kind,
          track: event.track,
        })
      }
    }),
    // Opened with the media, not at the join: by the time the user joins, the socket is up.
    openSignaling: spawnChild('signalingSession', {
      id: 'signaling',
      input: ({ context }) => ({ createTransport: context.createTransport }),
    }),
    joinRoom: sendTo('signaling', ({ context }) => ({
      type: 'SIGNALING.JOIN' as const,
      roomId: context.roomId ?? '',
    })),
    // Built once the camera settles, ahead of the join: before it, peers may be waiting, so the
    // spare offers. Not while the camera starts: Firefox decides when it creates a connection
    // whether to expose host candidates, and only does for a page holding a camera or mic grant;
    // a spare made before getUserMedia resolved gathers only obfuscated (mDNS) or, with no
    // default route (our loopback-only namespace), no candidates at all, and its offer fails ICE
    // (#14). Alone in the room (on arrival, or once the last peer left), the call will answer
    // whoever comes: the spare is rebuilt to answer, with the server's ICE servers.
    prepareSpare: enqueueActions(({ context, enqueue }) => {
      if (!context.warmUp) return
      const inRoom = context.peerId !== null
      if (inRoom && context.peers.length > 0) return
      enqueue.stopChild('spare')
      enqueue.spawnChild('spareConnection', {
        id: 'spare',
        input: {
          slot: context.spares,
          RTCPeerConnection: platformOf(context).RTCPeerConnection,
          localStream: context.media.stream,
          mediaKinds: context.mediaKinds,
          iceServers: inRoom ? context.iceServers : context.userIceServers,
          dataChannel: context.dataChannel,
          offers: !inRoom,
        },
      })
    }),
    enterRoom: assign(({ context, event }) => {
      if (event.type !== 'ROOM.JOINED' && event.type !== 'ROOM.REJOINED') return {}
      const { result } = event
      return {
        roomId: result.roomId,
        peerId: result.peerId,
        iceServers: [...result.iceServers, ...context.userIceServers],
      }
    }),
    connectPeers: enqueueActions(({ context, event, enqueue }) => {
      const incoming =
        event.type === 'ROOM.JOINED' || event.type === 'ROOM.REJOINED'
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
            stats: null,
            failure: null,
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
            localStream: context.media.stream,
            mediaKinds: context.mediaKinds,
            iceServers: context.iceServers,
            dataChannel: context.dataChannel,
            statsIntervalMs: context.statsIntervalMs,
            ...context.healing,
            RTCPeerConnection: platformOf(context).RTCPeerConnection,
            MediaStream: platformOf(context).MediaStream,
            spares: context.spares,
          },
        })
      }
    }),
    // Rejoined under a new id: the others dropped our old self, so every negotiation starts over.
    dropAllPeers: enqueueActions(({ context, enqueue }) => {
      for (const peer of context.peers) enqueue.stopChild(peerActorId(peer.peerId))
      enqueue.assign({ peers: [], signalingConnected: true })
    }),
    markSignaling: assign({
      signalingConnected: ({ event }) => event.type !== 'SIGNALING.LOST',
    }),
    refreshIceServers: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'ICE.REFRESHED') return
      const iceServers = [...event.iceServers, ...context.userIceServers]
      enqueue.assign({ iceServers })
      for (const peer of context.peers) {
        enqueue.sendTo(peerActorId(peer.peerId), { type: 'ICE.SERVERS', iceServers })
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
          ? updatePeer(context.peers, event.peerId, {
              status: event.status,
              failure: event.reason ?? null,
            })
          : context.peers,
    }),
    trackPeerStream: assign({
      peers: ({ context, event }) =>
        event.type === 'PEER.STREAM'
          ? updatePeer(context.peers, event.peerId, { stream: event.stream })
          : context.peers,
    }),
    trackPeerStats: assign({
      peers: ({ context, event }) =>
        event.type === 'PEER.STATS'
          ? updatePeer(context.peers, event.peerId, { stats: event.stats })
          : context.peers,
    }),
    emitFile: emit(({ event }): CallEmitted => {
      if (event.type !== 'PEER.FILE') throw new Error(`unexpected ${event.type}`)
      return { type: 'file', peerId: event.peerId, report: event.report }
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
    emitError: emit(({ event }): CallEmitted => {
      if (event.type !== 'SIGNALING.ERROR' && event.type !== 'MEDIA.ERROR') {
        throw new Error(`unexpected ${event.type}`)
      }
      return { type: 'error', error: event.error }
    }),
    commandPeers: enqueueActions(({ context, event, enqueue }) => {
      const to = 'to' in event ? event.to : undefined
      for (const peer of context.peers) {
        if (to !== undefined && to !== peer.peerId) continue
        const id = peerActorId(peer.peerId)
        if (event.type === 'CALL.SEND') enqueue.sendTo(id, { type: 'DATA.SEND', data: event.data })
        if (event.type === 'CALL.SEND_FILE') {
          const { transferId, file, name } = event
          enqueue.sendTo(id, { type: 'FILE.SEND', transferId, file, name })
        }
        if (event.type === 'CALL.CANCEL_FILE') {
          enqueue.sendTo(id, { type: 'FILE.CANCEL', transferId: event.transferId })
        }
        if (event.type === 'CALL.RESTART_ICE') enqueue.sendTo(id, { type: 'ICE.RESTART' })
      }
    }),
    keepError: assign({
      error: ({ event }) =>
        event.type === 'MEDIA.FAILED' || event.type === 'ROOM.FAILED' || event.type === 'ROOM.LOST'
          ? event.error
          : null,
    }),
    // Their tracks are stopped by then; keeping them would render frozen or black video.
    releaseStreams: assign({
      media: NO_MEDIA,
      peers: ({ context }) => context.peers.map((peer) => ({ ...peer, stream: null })),
    }),
    markConnectionFailed: assign({
      error: ({ context }): CallError => ({
        code: 'connection-failed',
        message:
          context.peers.map((peer) => peer.failure).find(Boolean) ??
          'the connection to every peer failed',
      }),
    }),
  },
  guards: {
    canJoin: ({ context, event }) =>
      isRoomId(event.type === 'CALL.JOIN' && event.roomId ? event.roomId : context.roomId),
    joinRequested: ({ context }) => context.joinRequested,
    fallsBackToReceiveOnly: ({ context }) => context.receiveOnlyFallback,
    joinsReceiveOnly: ({ context }) => context.receiveOnlyFallback && context.joinRequested,
    mediaStarted: ({ context }) => context.mediaStarted,
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
    'SIGNALING.LOST': { actions: 'markSignaling' },
    'SIGNALING.RESTORED': { actions: 'markSignaling' },
    'ROOM.REJOINED': { actions: ['dropAllPeers', 'enterRoom', 'connectPeers', 'prepareSpare'] },
    'ROOM.LOST': { target: '.failed', actions: 'keepError' },
    'ICE.REFRESHED': { actions: 'refreshIceServers' },
    'PEER.LEFT': { actions: ['disconnectPeer', 'prepareSpare'] },
    'SIGNAL.RECEIVED': [
      { guard: 'isKnownPeer', actions: 'routeSignal' },
      // A signal can beat its peer:joined only through a misbehaving relay; answer it anyway.
      { actions: ['connectPeers', 'routeSignal'] },
    ],
    'PEER.SIGNAL': { actions: 'relaySignal' },
    'PEER.STATUS': { actions: 'trackPeerStatus' },
    'PEER.STREAM': { actions: 'trackPeerStream' },
    'PEER.STATS': { actions: 'trackPeerStats' },
    'PEER.MESSAGE': { actions: 'emitMessage' },
    'PEER.FILE': { actions: 'emitFile' },
    'PEER.ERROR': { actions: 'emitPeerError' },
    'SIGNALING.ERROR': { actions: 'emitError' },
    'CALL.SEND': { actions: 'commandPeers' },
    'CALL.SEND_FILE': { actions: 'commandPeers' },
    'CALL.CANCEL_FILE': { actions: 'commandPeers' },
    'CALL.RESTART_ICE': { actions: 'commandPeers' },
    'MEDIA.MIC': { guard: 'mediaStarted', actions: 'commandMedia' },
    'MEDIA.CAMERA': { guard: 'mediaStarted', actions: 'commandMedia' },
    'MEDIA.DEVICE': { guard: 'mediaStarted', actions: 'commandMedia' },
    'MEDIA.SCREEN': { guard: 'mediaStarted', actions: 'commandMedia' },
    'MEDIA.UPDATED': { actions: 'keepMedia' },
    'MEDIA.TRACK': { actions: 'replaceTrack' },
    'MEDIA.DEVICES': { actions: 'keepDevices' },
    'MEDIA.ERROR': { actions: 'emitError' },
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
      entry: ['acquireMedia', 'openSignaling'],
      initial: 'acquiring',
      states: {
        acquiring: {
          on: {
            'MEDIA.READY': [
              {
                guard: 'joinRequested',
                target: '#call.ready',
                actions: ['keepMedia', 'prepareSpare'],
              },
              { target: 'preview', actions: ['keepMedia', 'prepareSpare'] },
            ],
            'MEDIA.FAILED': [
              {
                guard: 'joinsReceiveOnly',
                target: '#call.ready',
                actions: ['keepError', 'prepareSpare'],
              },
              {
                guard: 'fallsBackToReceiveOnly',
                target: 'preview',
                actions: ['keepError', 'prepareSpare'],
              },
              { target: '#call.failed', actions: 'keepError' },
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
          entry: 'joinRoom',
          on: {
            'ROOM.JOINED': {
              target: 'waiting',
              actions: ['enterRoom', 'connectPeers', 'prepareSpare'],
            },
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
    ended: { type: 'final', entry: 'releaseStreams' },
    failed: { type: 'final', entry: 'releaseStreams' },
  },
})
