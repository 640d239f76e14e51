import type { Signal } from '../protocol'
import type { DataMessage } from '../shared/shared.types'
import type { FileReport } from '../transfer/transfer.types'
import type { PeerStats } from './peer.stats'
import type { SpareSlot } from './spareConnection'

/** State of the negotiation with one remote peer. */
export type PeerStatus = 'new' | 'offering' | 'answering' | 'connected' | 'reconnecting' | 'failed'

/** What a negotiation machine reports to its parent call, each tagged with the peer's id. */
export type PeerReport =
  | { type: 'PEER.SIGNAL'; peerId: string; signal: Signal }
  | { type: 'PEER.STATUS'; peerId: string; status: PeerStatus; reason?: string }
  | { type: 'PEER.STREAM'; peerId: string; stream: MediaStream }
  | { type: 'PEER.MESSAGE'; peerId: string; data: DataMessage }
  | { type: 'PEER.STATS'; peerId: string; stats: PeerStats }
  | { type: 'PEER.FILE'; peerId: string; report: FileReport }
  | { type: 'PEER.ERROR'; peerId: string; message: string }

/** How a negotiation heals itself; every number is a delay or bound the machine declares. */
export interface HealingOptions {
  /**
   * How long an interrupted connection may stay `disconnected` before an ICE restart.
   * @default 2000
   */
  iceGraceMs: number
  /**
   * ICE restarts tried before the peer is given up as failed.
   * @default 3
   */
  maxIceRestarts: number
  /**
   * Wait after the first restart; doubles with each further one.
   * @default 1000
   */
  restartBackoffMs: number
}

/** What a negotiation actor needs to connect to one remote peer. */
export interface PeerInput extends HealingOptions {
  /** The remote peer's id. */
  peerId: string
  /** Yields on glare: rolls back its own offer and takes the remote one. */
  polite: boolean
  /** Offers first; the other side waits for that offer instead of racing it. */
  initiator: boolean
  /** Local media to send, or null for none. */
  localStream: MediaStream | null
  /**
   * Media kinds to negotiate. A kind without a local track still gets a transceiver, so the
   * peer's media is received and a track added later (camera on) needs no renegotiation.
   */
  mediaKinds: ('audio' | 'video')[]
  /** ICE servers for the connection. */
  iceServers: RTCIceServer[]
  /** Open the negotiated data channels. */
  dataChannel: boolean
  /** Stats sampling period; 0 turns sampling off. */
  statsIntervalMs: number
  /** Peer connection constructor to use. */
  RTCPeerConnection: typeof RTCPeerConnection
  /** MediaStream constructor, to assemble the peer's tracks into one stream. */
  MediaStream: typeof MediaStream | undefined
  /** Where a connection built ahead of the join may wait; the first negotiation takes it. */
  spares?: SpareSlot
}

/** The negotiation machine's context: its input plus how many restarts it spent. */
export interface PeerContext extends PeerInput {
  /** ICE restarts since the connection was last up. */
  iceRestarts: number
  /** Why the peer failed, when it did. */
  failure: string | null
}

/** Events the connection actor reports to its negotiation machine. */
export type ConnectionReport =
  | { type: 'PC.OFFERING' }
  | { type: 'PC.ANSWERING' }
  | { type: 'PC.SIGNAL'; signal: Signal }
  | { type: 'PC.STATE'; state: RTCPeerConnectionState }
  | { type: 'PC.TRACK'; stream: MediaStream }
  | { type: 'PC.MESSAGE'; data: DataMessage }
  | { type: 'PC.STATS'; stats: PeerStats }
  | { type: 'PC.FILE'; report: FileReport }
  | { type: 'PC.ERROR'; message: string }

/** Commands the negotiation machine gives its connection actor. */
export type ConnectionCommand =
  | { type: 'PC.REMOTE_SIGNAL'; signal: Signal }
  | { type: 'PC.SEND'; data: DataMessage }
  | { type: 'PC.SEND_FILE'; transferId: string; file: Blob; name: string }
  | { type: 'PC.CANCEL_FILE'; transferId: string }
  | { type: 'PC.RESTART_ICE' }
  | { type: 'PC.REPLACE_TRACK'; kind: 'audio' | 'video'; track: MediaStreamTrack | null }
  | { type: 'PC.SET_ICE_SERVERS'; iceServers: RTCIceServer[] }

/** Events a negotiation machine accepts from its parent call. */
export type PeerCommand =
  | { type: 'SIGNAL.RECEIVED'; signal: Signal }
  | { type: 'DATA.SEND'; data: DataMessage }
  | { type: 'FILE.SEND'; transferId: string; file: Blob; name: string }
  | { type: 'FILE.CANCEL'; transferId: string }
  | { type: 'ICE.RESTART' }
  | { type: 'TRACK.REPLACE'; kind: 'audio' | 'video'; track: MediaStreamTrack | null }
  | { type: 'ICE.SERVERS'; iceServers: RTCIceServer[] }
