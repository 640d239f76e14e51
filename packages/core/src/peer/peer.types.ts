import type { MediaReport } from '../media/media.types'
import type { Signal } from '../protocol'
import type { DataMessage, RelayedCommand, VideoQuality } from '../shared/shared.types'
import type { AudioSources } from '../stats/audioSources'
import type { ConnectionQuality } from '../stats/connectionQuality'
import type { FileReport } from '../transfer/transfer.types'
import type { PeerStats } from './peer.stats'
import type { SpareSlot } from './spareConnection'

/** State of the negotiation with one remote peer. */
export type PeerStatus = 'new' | 'offering' | 'answering' | 'connected' | 'reconnecting' | 'failed'

/** What a negotiation machine reports to its parent call, each tagged with the peer's id. */
export type PeerReport =
  | { type: 'PEER.SIGNAL'; peerId: string; signal: Signal }
  | { type: 'PEER.STATUS'; peerId: string; status: PeerStatus; reason?: string }
  /** ICE went `disconnected` (or came back) while connected: the other side may be gone. */
  | { type: 'PEER.INTERRUPTED'; peerId: string; interrupted: boolean }
  | { type: 'PEER.STREAM'; peerId: string; stream: MediaStream }
  | { type: 'PEER.MESSAGE'; peerId: string; data: DataMessage }
  | { type: 'PEER.STATS'; peerId: string; stats: PeerStats; quality: ConnectionQuality | null }
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
   * How long the peer keeps restarting ICE before it is given up as `failed`, counted from the
   * first restart (the sum of the waits between restarts). Like a phone in a tunnel: the call
   * says `reconnecting` until then, and comes back whenever the network does.
   * @default 90000
   */
  budgetMs: number
  /**
   * ICE restarts tried before the peer is given up as `failed`, whatever budget is left.
   * @default Infinity (the budget bounds the healing)
   */
  maxIceRestarts: number
  /**
   * Wait after the first restart; doubles with each further one, up to `maxRestartBackoffMs`.
   * @default 1000
   */
  restartBackoffMs: number
  /**
   * The longest wait between two restarts: once the network is back, the next restart (and
   * the media) comes within about this long.
   * @default 4000
   */
  maxRestartBackoffMs: number
}

/** What a negotiation actor needs to connect to one remote peer. */
export interface PeerInput extends HealingOptions {
  /** The remote peer's id. */
  peerId: string
  /** Yields on glare: rolls back its own offer and takes the remote one. */
  polite: boolean
  /** Offers first; the other side waits for that offer instead of racing it. */
  initiator: boolean
  /** The join carried the spare's offer to this peer already: only its later candidates go out. */
  offerDelivered?: boolean
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
  /** Codec MIME types to put first, e.g. `['video/VP9']`; empty keeps the browser's order. */
  preferredCodecs: readonly string[]
  /** `relay` sends everything through TURN. */
  iceTransportPolicy: RTCIceTransportPolicy
  /** Limits for the video sent to this peer, or null for the browser's own. */
  videoQuality: VideoQuality | null
  /** Where the connection registers for the call's audio meter. */
  audioSources?: AudioSources
}

/** The negotiation machine's context: its input plus how many restarts it spent. */
export interface PeerContext extends PeerInput {
  /** ICE restarts since the connection was last up. */
  iceRestarts: number
  /** Why the peer failed, when it did. */
  failure: string | null
}

/**
 * What the connection actor reports: how the connection moves (`PC.*`, which only the
 * negotiation machine reads) and, under the call's own names, what the call is told as it is.
 */
export type ConnectionReport =
  | { type: 'PC.OFFERING' }
  | { type: 'PC.ANSWERING' }
  | { type: 'PC.STATE'; state: RTCPeerConnectionState }
  | Exclude<PeerReport, { type: 'PEER.STATUS' }>

/**
 * Events a negotiation takes from its call, each under the name the call got it by; the
 * negotiation hands them to its connection actor unchanged.
 */
export type PeerCommand =
  | { type: 'SIGNAL.RECEIVED'; from: string; signal: Signal }
  | RelayedCommand
  | Extract<MediaReport, { type: 'MEDIA.TRACK' }>
  | { type: 'ICE.REFRESHED'; iceServers: RTCIceServer[] }
  /** The cap on outgoing video for the room's size now (bits/s), or null for none. */
  | { type: 'VIDEO.CAP'; maxBitrate: number | null }
