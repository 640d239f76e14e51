import type { DataMessage } from '../call/call.types'
import type { Signal } from '../protocol'

/** What a negotiation actor needs to connect to one remote peer. */
export interface PeerInput {
  /** The remote peer's id. */
  peerId: string
  /** Yields on glare: rolls back its own offer and takes the remote one. */
  polite: boolean
  /** Offers first; the other side waits for that offer instead of racing it. */
  initiator: boolean
  /** Local media to send, or null for receive-only. */
  localStream: MediaStream | null
  /** ICE servers for the connection. */
  iceServers: RTCIceServer[]
  /** Open the negotiated data channel. */
  dataChannel: boolean
  /** Peer connection constructor to use. */
  RTCPeerConnection: typeof RTCPeerConnection
}

/** Events the connection actor reports to its negotiation machine. */
export type ConnectionReport =
  | { type: 'PC.OFFERING' }
  | { type: 'PC.ANSWERING' }
  | { type: 'PC.SIGNAL'; signal: Signal }
  | { type: 'PC.STATE'; state: RTCPeerConnectionState }
  | { type: 'PC.TRACK'; stream: MediaStream }
  | { type: 'PC.MESSAGE'; data: DataMessage }
  | { type: 'PC.ERROR'; message: string }

/** Commands the negotiation machine gives its connection actor. */
export type ConnectionCommand =
  | { type: 'PC.REMOTE_SIGNAL'; signal: Signal }
  | { type: 'PC.SEND'; data: DataMessage }

/** Events a negotiation machine accepts from its parent call. */
export type PeerCommand =
  | { type: 'SIGNAL.RECEIVED'; signal: Signal }
  | { type: 'DATA.SEND'; data: DataMessage }
