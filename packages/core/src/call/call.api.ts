import type { CallError, CallStatus, DataMessage, PeerView } from './call.types'

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
  /** At least one peer connected and none still negotiating (the 1:1 call is up). */
  isConnected: boolean
  /** Hung up or failed: the call is over and its resources released. */
  isEnded: boolean
  /** The room this call is in or asked to join. */
  roomId: string | null
  /** Own peer id, once joined. */
  peerId: string | null
  /** Local camera/microphone stream, once acquired. */
  localStream: MediaStream | null
  /** Remote peers, in join order. */
  peers: PeerView[]
  /** The first peer's stream: the remote video of a 1:1 call. */
  remoteStream: MediaStream | null
  /** Why the call failed or what last went wrong. */
  error: CallError | null
  /** Acquire local media for a preview without joining. */
  startPreview: () => void
  /** Join a room (the option's room when omitted); acquires media first if needed. */
  join: (roomId?: string) => void
  /** Leave the room and release media and connections. */
  hangUp: () => void
  /** Send over the data channel to every peer, or to one. */
  send: (data: DataMessage, to?: string) => void
}
