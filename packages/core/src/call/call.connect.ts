import type { SnapshotFrom } from 'xstate'
import type { CallApi } from './call.api'
import type { callMachine } from './call.machine'
import type { CallCommand, CallStatus } from './call.types'

/** A snapshot of a call actor. */
export type CallSnapshot = SnapshotFrom<typeof callMachine>

/**
 * The call's status: its top-level state, or in the room the state its peers add up to
 * (`ready` while joining and while waiting for a peer).
 */
export function callStatus(snapshot: CallSnapshot): CallStatus {
  const { value } = snapshot
  if (typeof value === 'string') return value
  if ('media' in value) return 'media'
  // Reconnecting has steps of its own (ICE restarts, waiting for signaling, a fresh join).
  const room = typeof value.room === 'string' ? value.room : 'reconnecting'
  switch (room) {
    case 'joining':
    case 'settling':
    case 'waiting':
      return 'ready'
    default:
      return room
  }
}

const fileName = (file: Blob) =>
  'name' in file && typeof file.name === 'string' ? file.name : 'file'

/**
 * Turns a call snapshot into a plain API object; bindings call it inside their reactive
 * primitive and add nothing else. Its methods depend only on `send`, never on the snapshot,
 * so a binding may keep the methods of the first result.
 * @example const api = connectCall(actor.getSnapshot(), actor.send)
 */
export function connectCall(snapshot: CallSnapshot, send: (event: CallCommand) => void): CallApi {
  const { context } = snapshot
  const status = callStatus(snapshot)
  const joining = snapshot.matches({ room: 'joining' })
  return {
    status,
    isIdle: snapshot.matches('idle'),
    isAcquiringMedia: snapshot.matches({ media: 'acquiring' }),
    isJoining: joining,
    isInRoom: snapshot.matches('room') && !joining,
    isConnected: snapshot.matches({ room: 'connected' }),
    isEnded: snapshot.matches('ended') || snapshot.matches('failed'),
    isSignalingConnected: context.signalingConnected,
    roomId: context.roomId,
    peerId: context.peerId,
    localStream: context.media.stream,
    micEnabled: context.media.micEnabled,
    cameraEnabled: context.media.cameraEnabled,
    screenSharing: context.media.screenSharing,
    devices: context.devices,
    peers: context.peers,
    remoteStream: context.peers[0]?.stream ?? null,
    localAudio: context.localAudio,
    activeSpeaker: context.activeSpeaker,
    error: context.error,
    startPreview: () => send({ type: 'CALL.START' }),
    join: (roomId) =>
      send(roomId === undefined ? { type: 'CALL.JOIN' } : { type: 'CALL.JOIN', roomId }),
    hangUp: () => send({ type: 'CALL.HANG_UP' }),
    send: (data, to) =>
      send(to === undefined ? { type: 'CALL.SEND', data } : { type: 'CALL.SEND', data, to }),
    sendFile: (file, options = {}) => {
      const transferId = globalThis.crypto.randomUUID()
      const name = options.name ?? fileName(file)
      const event = { type: 'CALL.SEND_FILE' as const, transferId, file, name }
      send(options.to === undefined ? event : { ...event, to: options.to })
      return transferId
    },
    cancelFile: (transferId) => send({ type: 'CALL.CANCEL_FILE', transferId }),
    setMicEnabled: (enabled) => send({ type: 'MEDIA.MIC', enabled }),
    setCameraEnabled: (enabled) => send({ type: 'MEDIA.CAMERA', enabled }),
    selectDevice: (kind, deviceId) => send({ type: 'MEDIA.DEVICE', kind, deviceId }),
    startScreenShare: () => send({ type: 'MEDIA.SCREEN', enabled: true }),
    stopScreenShare: () => send({ type: 'MEDIA.SCREEN', enabled: false }),
    restartIce: () => send({ type: 'CALL.RESTART_ICE' }),
    setVideoQuality: (quality, to) =>
      send(
        to === undefined
          ? { type: 'CALL.VIDEO_QUALITY', quality }
          : { type: 'CALL.VIDEO_QUALITY', quality, to },
      ),
  }
}
