import type { DeviceInfo } from '../media/media.types'
import type { CallError, DataMessage, VideoQuality } from '../shared/shared.types'
import type { AudioActivity } from '../stats/speaking'
import type { CallStatus, PeerView } from './call.types'

/** Options of `sendFile`. */
export interface SendFileOptions {
  /** File name the receiver sees. @default the File's name, or "file" */
  name?: string
  /** Send to one peer only. @default every peer */
  to?: string
}

/** The plain API over a call snapshot that bindings expose: state flags, streams and methods. */
export interface CallApi {
  /** Top-level state. */
  status: CallStatus
  /** Nothing started yet. */
  isIdle: boolean
  /** Local media is being acquired. */
  isAcquiringMedia: boolean
  /** The room join is in flight. */
  isJoining: boolean
  /** In a room (waiting, negotiating or connected). */
  isInRoom: boolean
  /** The call is up with every peer. */
  isConnected: boolean
  /** Hung up or failed: the call is over and its resources released. */
  isEnded: boolean
  /** False while the signaling connection is being restored; media keeps flowing meanwhile. */
  isSignalingConnected: boolean
  /** The room this call is in or asked to join. */
  roomId: string | null
  /** Own peer id, once joined. */
  peerId: string | null
  /** What this side sends (mic + camera or screen); a new object whenever it changes. */
  localStream: MediaStream | null
  /** Microphone unmuted. */
  micEnabled: boolean
  /** Camera on. */
  cameraEnabled: boolean
  /** Screen shared in place of the camera. */
  screenSharing: boolean
  /** Cameras, microphones and speakers, kept current on `devicechange`. */
  devices: DeviceInfo[]
  /** Remote peers, in join order, with their streams and stats. */
  peers: PeerView[]
  /** The first peer's stream: the remote video of a 1:1 call. */
  remoteStream: MediaStream | null
  /** The local microphone's level (0–1) and speaking flag, as sent (null-free: silent before a connection). */
  localAudio: AudioActivity
  /** Who speaks now: a peer's id, the own `peerId` for the local microphone, or null. */
  activeSpeaker: string | null
  /** Why the call failed, or what last went wrong with media or the room. */
  error: CallError | null
  /** Acquire local media for a preview without joining. */
  startPreview: () => void
  /** Join a room (the option's room when omitted); acquires media first if needed. */
  join: (roomId?: string) => void
  /** Leave the room and release media and connections. */
  hangUp: () => void
  /** Send over the data channel to every peer, or to one. */
  send: (data: DataMessage, to?: string) => void
  /** Send a file (chunked, backpressured, hash-verified); returns its transfer id. */
  sendFile: (file: Blob, options?: SendFileOptions) => string
  /** Cancel a transfer, sending or receiving. */
  cancelFile: (transferId: string) => void
  /** Mute or unmute the microphone. */
  setMicEnabled: (enabled: boolean) => void
  /** Turn the camera off (its light goes off) or back on; no renegotiation. */
  setCameraEnabled: (enabled: boolean) => void
  /** Switch to another camera or microphone; no renegotiation. */
  selectDevice: (kind: 'audioinput' | 'videoinput', deviceId: string) => void
  /** Share the screen in place of the camera. */
  startScreenShare: () => void
  /** Go back to the camera. */
  stopScreenShare: () => void
  /** Restart ICE with every peer now (it also happens by itself when a connection drops). */
  restartIce: () => void
  /**
   * Limits the video sent to one peer, or to every peer (present and to come) without `peerId`;
   * a limit left out is lifted. No renegotiation.
   * @example setVideoQuality({ maxBitrate: 150_000 })
   */
  setVideoQuality: (quality: VideoQuality, peerId?: string) => void
}
