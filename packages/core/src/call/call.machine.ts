import {
  and,
  assertEvent,
  assign,
  emit,
  enqueueActions,
  not,
  sendTo,
  setup,
  spawnChild,
} from 'xstate'
import { localMedia } from '../media/localMedia'
import type { DeviceInfo, LocalMediaState } from '../media/media.types'
import { peerMachine } from '../peer/peer.machine'
import { createSpareSlot, type SpareSlot, spareConnection } from '../peer/spareConnection'
import { videoBitrateCap } from '../peer/videoBitrateCap'
import {
  chooseVideoQuality,
  NO_VIDEO_QUALITY,
  type VideoQualitySettings,
  videoQualityFor,
} from '../peer/videoQuality'
import { isRoomId } from '../protocol'
import type { CallError } from '../shared/shared.types'
import { createSocketSignaling } from '../signaling/createSocketSignaling'
import type { SignalingTransport } from '../signaling/signaling.types'
import { audioMeter } from '../stats/audioMeterActor'
import { type AudioSources, createAudioSources } from '../stats/audioSources'
import { type AudioActivity, SILENT_ACTIVITY } from '../stats/speaking'
import { pageExit, signalingSession } from './call.actors'
import { applyAudioLevels } from './call.audio'
import { peerActorId, type SessionStatus, sessionStatus, updatePeer } from './call.peers'
import type {
  CallEmitted,
  CallEvent,
  CallHealingOptions,
  CallOptions,
  NetworkEvents,
  PeerView,
  Platform,
} from './call.types'
import { pageWake } from './call.wake'

// How long a join waits for the spare's offer still being made: usually a few tens of ms. Past
// it the join leaves without, and the offer follows as a signal once the join is answered.
const OFFER_WAIT_MS = 250

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
  audioLevelIntervalMs: number
  /** The connections the audio meter reads. */
  audioSources: AudioSources
  preferredCodecs: string[]
  iceTransportPolicy: RTCIceTransportPolicy
  /** The user's `setVideoQuality` choices. */
  videoQuality: VideoQualitySettings
  /** The local microphone's level and speaking flag, as sent. */
  localAudio: AudioActivity
  /** Who speaks: a peer id (the own one for the local microphone), or null. */
  activeSpeaker: string | null
  healing: CallHealingOptions
  /** Fresh joins of the room tried since the call was last connected. */
  rejoins: number
  /** The user's cap on each outgoing video in a group call; undefined takes the default. */
  groupVideoBitrate: number | false | undefined
  /** The cap on each outgoing video the peers were last told (bits/s), or null for none. */
  videoCap: number | null
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

/**
 * Self-healing defaults: a 2 s grace period, then ICE restarts 1 s, 2 s, 4 s, 4 s… apart for up
 * to 90 s, so an outage of a minute (a tunnel, a lift) heals by itself; then one fresh join of
 * the room, with new connections and as long again to heal them.
 */
export const DEFAULT_HEALING: CallHealingOptions = {
  iceGraceMs: 2000,
  budgetMs: 90_000,
  maxIceRestarts: Number.POSITIVE_INFINITY,
  restartBackoffMs: 1000,
  maxRestartBackoffMs: 4000,
  rejoinAttempts: 1,
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
  const WebSocket = options.platform?.WebSocket
  const constraints = options.media ?? DEFAULT_CONSTRAINTS
  return {
    createTransport:
      typeof signaling === 'string'
        ? () => createSocketSignaling(signaling, WebSocket ? { socket: { WebSocket } } : {})
        : signaling,
    constraints,
    receiveOnlyFallback: options.receiveOnlyFallback ?? false,
    mediaKinds: mediaKindsOf(constraints),
    userIceServers: options.iceServers ?? [],
    dataChannel: options.dataChannel ?? true,
    warmUp: options.warmUp ?? true,
    spares: createSpareSlot(),
    statsIntervalMs: options.statsIntervalMs ?? 1000,
    audioLevelIntervalMs: options.audioLevelIntervalMs ?? 100,
    audioSources: createAudioSources(),
    preferredCodecs: options.preferredCodecs ?? [],
    iceTransportPolicy: options.forceRelay ? 'relay' : 'all',
    videoQuality: NO_VIDEO_QUALITY,
    localAudio: SILENT_ACTIVITY,
    activeSpeaker: null,
    healing: { ...DEFAULT_HEALING, ...options.healing },
    rejoins: 0,
    groupVideoBitrate: options.groupVideoBitrate,
    videoCap: null,
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
    page: globalThis.window,
    // Chromium's Network Information API; not in every browser, nor in TypeScript's DOM types.
    network: Reflect.get(globalThis.navigator ?? {}, 'connection') as NetworkEvents | undefined,
  }
}

// Who a room event brings: the peers already there are offered to; a newcomer offers to us.
function arrivals(
  event: Extract<
    CallEvent,
    { type: 'ROOM.JOINED' | 'ROOM.REJOINED' | 'PEER.JOINED' | 'SIGNAL.RECEIVED' }
  >,
): { peerId: string; initiator: boolean }[] {
  switch (event.type) {
    case 'ROOM.JOINED':
    case 'ROOM.REJOINED':
      return event.result.peers.map((peer) => ({ peerId: peer.peerId, initiator: true }))
    case 'PEER.JOINED':
      return [{ peerId: event.peerId, initiator: false }]
    case 'SIGNAL.RECEIVED':
      return [{ peerId: event.from, initiator: false }]
  }
}

function connectionFailure(context: CallContext): CallError {
  const reason = context.peers.map((peer) => peer.failure).find(Boolean)
  return { code: 'connection-failed', message: reason ?? 'the connection to every peer failed' }
}

/** The call: local media, the room, and one negotiation actor per remote peer. */
export const callMachine = setup({
  types: {
    context: {} as CallContext,
    input: {} as CallOptions,
    events: {} as CallEvent,
    emitted: {} as CallEmitted,
  },
  actors: {
    localMedia,
    signalingSession,
    pageExit,
    pageWake,
    peer: peerMachine,
    spareConnection,
    audioMeter,
  },
  actions: {
    requestJoin: assign(({ context, event }) => {
      assertEvent(event, 'CALL.JOIN')
      return { joinRequested: true, roomId: event.roomId ?? context.roomId }
    }),
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
    keepMedia: assign(({ event }) => {
      assertEvent(event, ['MEDIA.READY', 'MEDIA.UPDATED'])
      return { media: event.media }
    }),
    keepDevices: assign(({ event }) => {
      assertEvent(event, 'MEDIA.DEVICES')
      return { devices: event.devices }
    }),
    commandMedia: sendTo('media', ({ event }) => {
      assertEvent(event, ['MEDIA.MIC', 'MEDIA.CAMERA', 'MEDIA.DEVICE', 'MEDIA.SCREEN'])
      return event
    }),
    replaceTrack: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'MEDIA.TRACK')
      for (const peer of context.peers) enqueue.sendTo(peerActorId(peer.peerId), event)
    }),
    // Opened with the media, not at the join: by the time the user joins, the socket is up.
    openSignaling: spawnChild('signalingSession', {
      id: 'signaling',
      input: ({ context }) => ({ createTransport: context.createTransport }),
    }),
    // Asked for while the camera starts: the join leaves now rather than behind the camera, and
    // the session keeps its answer (and what the room says meanwhile) until the call is in.
    joinEarly: enqueueActions(({ context, enqueue }) => {
      if (!context.joinRequested) return
      enqueue.sendTo('signaling', {
        type: 'SIGNALING.PREJOIN' as const,
        roomId: context.roomId ?? '',
      })
    }),
    // A spare's offer rides along the join: the server hands it to the oldest peer with the
    // joined notice, a relay earlier than sending it after the join's answer. One still being
    // made (a join at the moment the camera is ready) is worth its few milliseconds' wait.
    joinRoom: sendTo('signaling', ({ context }) => ({
      type: 'SIGNALING.JOIN' as const,
      roomId: context.roomId ?? '',
      offer: context.warmUp ? context.spares.offerAhead(context.iceServers, OFFER_WAIT_MS) : null,
    })),
    // Built once the camera settles, ahead of the join: before it, peers may be waiting, so the
    // spare offers. Not while the camera starts: Firefox decides when it creates a connection
    // whether to expose host candidates, and only does for a page holding a camera or mic grant;
    // a spare made before getUserMedia resolved gathers only obfuscated (mDNS) or, with no
    // default route (our loopback-only namespace), no candidates at all, and its offer fails ICE
    // (#14). Alone in the room (on arrival, or once the last peer left), the call will answer
    // whoever comes: the spare is rebuilt to answer, with the server's ICE servers.
    // `unless: 'fits'`: a spare built with the current ICE servers stays (a join from the
    // preview); `unless: 'missingOrFits'`: only a spare built with other ones is rebuilt (ICE
    // servers that came after the camera; before it, the camera's readiness builds it).
    prepareSpare: enqueueActions(
      ({ context, enqueue }, params?: { unless: 'fits' | 'missingOrFits' }) => {
        if (!context.warmUp) return
        const fits = context.spares.has(context.iceServers)
        if (params?.unless === 'fits' && fits) return
        if (params?.unless === 'missingOrFits' && (fits || !context.spares.has())) return
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
            // Fetched from the server while the camera started (TURN included), when it could.
            iceServers: context.iceServers,
            dataChannel: context.dataChannel,
            offers: !inRoom,
            preferredCodecs: context.preferredCodecs,
            iceTransportPolicy: context.iceTransportPolicy,
          },
        })
      },
    ),
    enterRoom: assign(({ context, event }) => {
      assertEvent(event, ['ROOM.JOINED', 'ROOM.REJOINED'])
      const { result } = event
      return {
        roomId: result.roomId,
        peerId: result.peerId,
        iceServers: [...result.iceServers, ...context.userIceServers],
      }
    }),
    connectPeers: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, ['ROOM.JOINED', 'ROOM.REJOINED', 'PEER.JOINED', 'SIGNAL.RECEIVED'])
      const fresh = arrivals(event).filter(
        ({ peerId }) => !context.peers.some((p) => p.peerId === peerId),
      )
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
            presence: 'present' as const,
            awaySince: null,
            heldUntil: null,
            iceInterrupted: false,
            quality: null,
            route: null,
            audio: SILENT_ACTIVITY,
          })),
        ],
      })
      const offeredTo = event.type === 'ROOM.JOINED' ? event.result.offeredTo : undefined
      for (const { peerId, initiator } of fresh) {
        enqueue.spawnChild('peer', {
          id: peerActorId(peerId),
          input: {
            peerId,
            polite: selfId < peerId,
            initiator,
            offerDelivered: peerId === offeredTo,
            localStream: context.media.stream,
            mediaKinds: context.mediaKinds,
            iceServers: context.iceServers,
            dataChannel: context.dataChannel,
            statsIntervalMs: context.statsIntervalMs,
            ...context.healing,
            RTCPeerConnection: platformOf(context).RTCPeerConnection,
            MediaStream: platformOf(context).MediaStream,
            spares: context.spares,
            preferredCodecs: context.preferredCodecs,
            iceTransportPolicy: context.iceTransportPolicy,
            videoQuality: videoQualityFor(context.videoQuality, peerId),
            audioSources: context.audioSources,
          },
        })
      }
    }),
    // Rejoined under a new id: the others dropped our old self, so every negotiation starts over.
    dropAllPeers: enqueueActions(({ context, enqueue }) => {
      for (const peer of context.peers) enqueue.stopChild(peerActorId(peer.peerId))
      enqueue.assign({ peers: [], signalingConnected: true })
    }),
    countRejoin: assign({ rejoins: ({ context }) => context.rejoins + 1 }),
    // Every peer failed: leave and join again as a new peer, so that both sides start over.
    rejoinRoom: sendTo('signaling', { type: 'SIGNALING.REJOIN' as const }),
    forgetRejoins: assign({ rejoins: 0 }),
    markSignaling: assign((_, params: { connected: boolean }) => ({
      signalingConnected: params.connected,
    })),
    // Before the join: the servers the signaling session fetched while the camera started, so
    // the spare built ahead gathers with TURN too and the join does not have to drop it.
    keepIceServers: assign(({ context, event }) => {
      assertEvent(event, 'ICE.REFRESHED')
      return { iceServers: [...event.iceServers, ...context.userIceServers] }
    }),
    // The way to the peers is back (signaling, the network, the page): a peer still healing
    // restarts ICE now instead of at its next backoff, which may be seconds away, and so does
    // one whose ICE is interrupted (a thawed tab learns it only now) instead of after the grace.
    healPeersNow: enqueueActions(({ context, enqueue }) => {
      for (const peer of context.peers) {
        if (peer.status === 'reconnecting' || peer.iceInterrupted) {
          enqueue.sendTo(peerActorId(peer.peerId), { type: 'CALL.RESTART_ICE' })
        }
      }
    }),
    // Socket.io would wait out its reconnection backoff: the page or the network just came back.
    wakeSignaling: sendTo('signaling', { type: 'SIGNALING.WAKE' as const }),
    // A changed network changes the local addresses: a restart finds the new path now, instead
    // of after the seconds ICE takes to notice the old one is gone.
    restartEveryPeer: enqueueActions(({ context, enqueue }) => {
      for (const peer of context.peers) {
        enqueue.sendTo(peerActorId(peer.peerId), { type: 'CALL.RESTART_ICE' })
      }
    }),
    refreshIceServers: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'ICE.REFRESHED')
      const iceServers = [...event.iceServers, ...context.userIceServers]
      enqueue.assign({ iceServers })
      for (const peer of context.peers) {
        enqueue.sendTo(peerActorId(peer.peerId), { type: 'ICE.REFRESHED', iceServers })
      }
    }),
    // Every peer's share of the uplink changes with the room's size, the joiner's included.
    // A two-person call that stays one is told nothing: it keeps the browser's rate control.
    capVideo: enqueueActions(({ context, enqueue }) => {
      if (!context.mediaKinds.includes('video')) return
      const maxBitrate = videoBitrateCap(context.peers.length, context.groupVideoBitrate)
      if (maxBitrate === null && context.videoCap === null) return
      enqueue.assign({ videoCap: maxBitrate })
      for (const peer of context.peers) {
        enqueue.sendTo(peerActorId(peer.peerId), { type: 'VIDEO.CAP', maxBitrate })
      }
    }),
    disconnectPeer: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'PEER.LEFT')
      enqueue.stopChild(peerActorId(event.peerId))
      enqueue.assign({ peers: context.peers.filter((peer) => peer.peerId !== event.peerId) })
    }),
    routeSignal: enqueueActions(({ event, enqueue }) => {
      assertEvent(event, 'SIGNAL.RECEIVED')
      enqueue.sendTo(peerActorId(event.from), event)
    }),
    relaySignal: sendTo('signaling', ({ event }) => {
      assertEvent(event, 'PEER.SIGNAL')
      return { type: 'SIGNALING.SEND' as const, to: event.peerId, signal: event.signal }
    }),
    trackPeerStatus: assign(({ context, event }) => {
      assertEvent(event, 'PEER.STATUS')
      const change = { status: event.status, failure: event.reason ?? null }
      return { peers: updatePeer(context.peers, event.peerId, change) }
    }),
    // The server holds the peer's place: its media may still flow, but its signaling is gone.
    markPeerAway: assign(({ context, event }) => {
      assertEvent(event, 'PEER.AWAY')
      return { peers: updatePeer(context.peers, event.peerId, { heldUntil: event.heldUntil }) }
    }),
    markPeerBack: assign(({ context, event }) => {
      assertEvent(event, 'PEER.BACK')
      return { peers: updatePeer(context.peers, event.peerId, { heldUntil: null }) }
    }),
    trackPeerInterruption: assign(({ context, event }) => {
      assertEvent(event, 'PEER.INTERRUPTED')
      const change = { iceInterrupted: event.interrupted }
      return { peers: updatePeer(context.peers, event.peerId, change) }
    }),
    trackPeerStream: assign(({ context, event }) => {
      assertEvent(event, 'PEER.STREAM')
      return { peers: updatePeer(context.peers, event.peerId, { stream: event.stream }) }
    }),
    trackPeerStats: assign(({ context, event }) => {
      assertEvent(event, 'PEER.STATS')
      const { stats, quality } = event
      return {
        peers: updatePeer(context.peers, event.peerId, { stats, quality, route: stats.route }),
      }
    }),
    keepAudioLevels: assign(({ context, event }) => {
      assertEvent(event, 'AUDIO.LEVELS')
      return applyAudioLevels(context, event)
    }),
    keepVideoQuality: assign(({ context, event }) => {
      assertEvent(event, 'CALL.VIDEO_QUALITY')
      return { videoQuality: chooseVideoQuality(context.videoQuality, event.quality, event.to) }
    }),
    emitFile: emit(({ event }): CallEmitted => {
      assertEvent(event, 'PEER.FILE')
      return { type: 'file', peerId: event.peerId, report: event.report }
    }),
    emitMessage: emit(({ event }): CallEmitted => {
      assertEvent(event, 'PEER.MESSAGE')
      return { type: 'message', peerId: event.peerId, data: event.data }
    }),
    emitPeerError: emit(({ event }): CallEmitted => {
      assertEvent(event, 'PEER.ERROR')
      return {
        type: 'error',
        error: { code: 'connection-failed', message: `${event.peerId}: ${event.message}` },
      }
    }),
    emitError: emit(({ event }): CallEmitted => {
      assertEvent(event, ['SIGNALING.ERROR', 'MEDIA.ERROR'])
      return { type: 'error', error: event.error }
    }),
    // The user's command goes on under its own name, to every peer or the one it names.
    commandPeers: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, [
        'CALL.SEND',
        'CALL.SEND_FILE',
        'CALL.CANCEL_FILE',
        'CALL.RESTART_ICE',
        'CALL.VIDEO_QUALITY',
      ])
      const to = 'to' in event ? event.to : undefined
      for (const peer of context.peers) {
        if (to === undefined || to === peer.peerId) enqueue.sendTo(peerActorId(peer.peerId), event)
      }
    }),
    keepError: assign(({ event }) => {
      assertEvent(event, ['MEDIA.FAILED', 'ROOM.FAILED', 'ROOM.LOST'])
      return { error: event.error }
    }),
    // Their tracks are stopped by then; keeping them would render frozen or black video.
    releaseStreams: assign({
      media: NO_MEDIA,
      peers: ({ context }) => context.peers.map((peer) => ({ ...peer, stream: null })),
    }),
    // Without an error of its own (a transport that cannot rejoin), the peers' reasons tell it.
    keepRejoinFailure: assign(({ context, event }) => {
      assertEvent(event, 'ROOM.REJOIN_FAILED')
      return { error: event.error ?? connectionFailure(context) }
    }),
    markConnectionFailed: assign({ error: ({ context }) => connectionFailure(context) }),
  },
  delays: {
    // Waiting for the signaling server to take the rejoin gets as long as the peers had to heal.
    rejoinTimeout: ({ context }) => context.healing.budgetMs,
  },
  guards: {
    canJoin: ({ context, event }) => {
      assertEvent(event, 'CALL.JOIN')
      return isRoomId(event.roomId || context.roomId)
    },
    joinRequested: ({ context }) => context.joinRequested,
    fallsBackToReceiveOnly: ({ context }) => context.receiveOnlyFallback,
    joinsReceiveOnly: ({ context }) => context.receiveOnlyFallback && context.joinRequested,
    mediaStarted: ({ context }) => context.mediaStarted,
    signalingConnected: ({ context }) => context.signalingConnected,
    canRejoin: ({ context }) => context.rejoins < context.healing.rejoinAttempts,
    isKnownPeer: ({ context, event }) => {
      assertEvent(event, 'SIGNAL.RECEIVED')
      return context.peers.some((peer) => peer.peerId === event.from)
    },
    sessionIs: ({ context }, params: { status: SessionStatus }) =>
      sessionStatus(context.peers) === params.status,
  },
}).createMachine({
  id: 'call',
  context: ({ input }) => initialContext(input),
  // For as long as the call runs: the page going away is a hang-up, whatever the state; the page
  // waking and the network coming back are a reason to heal at once.
  invoke: [
    { src: 'pageExit', input: ({ context }) => ({ page: platformOf(context).page }) },
    {
      src: 'pageWake',
      input: ({ context }) => ({
        page: platformOf(context).page,
        network: platformOf(context).network,
      }),
    },
  ],
  // Only what holds in every state: hanging up, and the media and signaling that open with the
  // preview and live as long as the call. Everything about the room is under `room`.
  on: {
    'CALL.HANG_UP': '.ended',
    'SIGNALING.LOST': { actions: { type: 'markSignaling', params: { connected: false } } },
    'SIGNALING.RESTORED': {
      actions: [{ type: 'markSignaling', params: { connected: true } }, 'healPeersNow'],
    },
    'MEDIA.MIC': { guard: 'mediaStarted', actions: 'commandMedia' },
    'MEDIA.CAMERA': { guard: 'mediaStarted', actions: 'commandMedia' },
    'MEDIA.DEVICE': { guard: 'mediaStarted', actions: 'commandMedia' },
    'MEDIA.SCREEN': { guard: 'mediaStarted', actions: 'commandMedia' },
    'MEDIA.UPDATED': { actions: 'keepMedia' },
    'MEDIA.TRACK': { actions: 'replaceTrack' },
    'MEDIA.DEVICES': { actions: 'keepDevices' },
    'MEDIA.ERROR': { actions: 'emitError' },
    'ICE.REFRESHED': {
      actions: ['keepIceServers', { type: 'prepareSpare', params: { unless: 'missingOrFits' } }],
    },
    // Chosen before the join: kept for the connections to come.
    'CALL.VIDEO_QUALITY': { actions: 'keepVideoQuality' },
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
      entry: ['acquireMedia', 'openSignaling', 'joinEarly'],
      initial: 'acquiring',
      states: {
        acquiring: {
          on: {
            'MEDIA.READY': [
              // The join leaves first (room.joining's entry); the spare is built behind it.
              { guard: 'joinRequested', target: '#call.room', actions: 'keepMedia' },
              { target: 'preview', actions: ['keepMedia', 'prepareSpare'] },
            ],
            'MEDIA.FAILED': [
              { guard: 'joinsReceiveOnly', target: '#call.room', actions: 'keepError' },
              {
                guard: 'fallsBackToReceiveOnly',
                target: 'preview',
                actions: ['keepError', 'prepareSpare'],
              },
              { target: '#call.failed', actions: 'keepError' },
            ],
            'CALL.JOIN': [
              { guard: 'canJoin', actions: ['requestJoin', 'joinEarly'] },
              { actions: 'rejectJoin' },
            ],
          },
        },
        preview: {
          on: {
            'CALL.JOIN': [
              { guard: 'canJoin', target: '#call.room', actions: 'requestJoin' },
              { actions: 'rejectJoin' },
            ],
          },
        },
      },
    },
    // In the room, from the join to the hang-up: peers, signals, data and the room's own fate.
    // What changes the peers goes through `settling`, the one place their sum is drawn.
    room: {
      invoke: {
        id: 'audioMeter',
        src: 'audioMeter',
        input: ({ context }) => ({
          sources: context.audioSources,
          intervalMs: context.audioLevelIntervalMs,
        }),
      },
      on: {
        'ROOM.REJOINED': {
          target: '.settling',
          actions: ['dropAllPeers', 'enterRoom', 'connectPeers', 'capVideo', 'prepareSpare'],
        },
        'ROOM.LOST': { target: '#call.failed', actions: 'keepError' },
        'ICE.REFRESHED': { actions: 'refreshIceServers' },
        'PEER.JOINED': { actions: ['connectPeers', 'capVideo'] },
        'PEER.LEFT': {
          target: '.settling',
          actions: ['disconnectPeer', 'capVideo', 'prepareSpare'],
        },
        'PEER.STATUS': { target: '.settling', actions: 'trackPeerStatus' },
        'PEER.AWAY': { target: '.settling', actions: 'markPeerAway' },
        'PEER.BACK': { target: '.settling', actions: 'markPeerBack' },
        'PEER.INTERRUPTED': { actions: 'trackPeerInterruption' },
        'SIGNAL.RECEIVED': [
          { guard: 'isKnownPeer', actions: 'routeSignal' },
          // A signal can beat its peer:joined only through a misbehaving relay; answer it anyway.
          { actions: ['connectPeers', 'capVideo', 'routeSignal'] },
        ],
        'PEER.SIGNAL': { actions: 'relaySignal' },
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
        'PAGE.RESUMED': { actions: ['wakeSignaling', 'healPeersNow'] },
        'NETWORK.ONLINE': { actions: ['wakeSignaling', 'restartEveryPeer'] },
        'NETWORK.CHANGED': { actions: ['wakeSignaling', 'restartEveryPeer'] },
        'CALL.VIDEO_QUALITY': { actions: ['keepVideoQuality', 'commandPeers'] },
        'AUDIO.LEVELS': { actions: 'keepAudioLevels' },
      },
      initial: 'joining',
      states: {
        joining: {
          // Joined while the camera started, the spare is built now, while the join is on its way.
          entry: ['joinRoom', { type: 'prepareSpare', params: { unless: 'fits' } }],
          on: {
            'ROOM.JOINED': {
              target: 'settling',
              actions: ['enterRoom', 'connectPeers', 'capVideo', 'prepareSpare'],
            },
            'ROOM.FAILED': { target: '#call.failed', actions: 'keepError' },
          },
        },
        // Passed through, never stayed in: the call takes the state its peers add up to.
        settling: {
          always: [
            {
              guard: and([
                { type: 'sessionIs', params: { status: 'failed' as const } },
                'canRejoin',
              ]),
              target: 'reconnecting.rejoining',
            },
            {
              guard: { type: 'sessionIs', params: { status: 'failed' } },
              target: '#call.failed',
              actions: 'markConnectionFailed',
            },
            {
              guard: { type: 'sessionIs', params: { status: 'reconnecting' } },
              target: 'reconnecting',
            },
            { guard: { type: 'sessionIs', params: { status: 'answering' } }, target: 'answering' },
            { guard: { type: 'sessionIs', params: { status: 'offering' } }, target: 'offering' },
            { guard: { type: 'sessionIs', params: { status: 'connected' } }, target: 'connected' },
            { target: 'waiting' },
          ],
        },
        waiting: {},
        offering: {},
        answering: {},
        connected: { entry: 'forgetRejoins' },
        // Each step shows: ICE restarts while the server can be reached, a wait while it cannot
        // (the transport resumes our place, or takes a fresh one), and a fresh join of the room
        // once every peer's restarts are spent.
        reconnecting: {
          initial: 'restartingIce',
          states: {
            restartingIce: {
              always: { guard: not('signalingConnected'), target: 'awaitingSignaling' },
            },
            awaitingSignaling: {
              always: { guard: 'signalingConnected', target: 'restartingIce' },
            },
            // The failed peers stay until the join brings the room back (their reasons make the
            // call's error if it does not); what they report meanwhile changes nothing.
            rejoining: {
              // One attempt however many times the server goes away during it.
              entry: 'countRejoin',
              initial: 'awaitingSignaling',
              states: {
                awaitingSignaling: {
                  always: { guard: 'signalingConnected', target: 'joining' },
                },
                joining: {
                  entry: 'rejoinRoom',
                  on: {
                    'ROOM.REJOIN_FAILED': [
                      { guard: not('signalingConnected'), target: 'awaitingSignaling' },
                      { target: '#call.failed', actions: 'keepRejoinFailure' },
                    ],
                  },
                },
              },
              after: {
                rejoinTimeout: { target: '#call.failed', actions: 'markConnectionFailed' },
              },
              on: {
                'PEER.STATUS': { actions: 'trackPeerStatus' },
                'PEER.AWAY': { actions: 'markPeerAway' },
                'PEER.BACK': { actions: 'markPeerBack' },
                'PEER.LEFT': { actions: ['disconnectPeer', 'capVideo'] },
              },
            },
          },
        },
      },
    },
    ended: { type: 'final', entry: 'releaseStreams' },
    failed: { type: 'final', entry: 'releaseStreams' },
  },
})
