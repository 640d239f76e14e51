import type { InspectionEvent, Observer } from 'xstate'
import type { MediaCommand, MediaDevicesLike, MediaReport } from '../media/media.types'
import type { PeerStats } from '../peer/peer.stats'
import type { HealingOptions, PeerReport, PeerStatus } from '../peer/peer.types'
import type { IceServerData, JoinSuccess, Signal } from '../protocol'
import type { CallError, DataMessage, RelayedCommand } from '../shared/shared.types'
import type { SignalingTransport } from '../signaling/signaling.types'
import type { AudioLevelsReport } from '../stats/audioSources'
import type { ConnectionQuality } from '../stats/connectionQuality'
import type { AudioActivity } from '../stats/speaking'
import type { FileReport } from '../transfer/transfer.types'

/** Top-level state of a call, as its snapshot shows it. */
export type CallStatus =
  | 'idle'
  | 'media'
  | 'ready'
  | 'offering'
  | 'answering'
  | 'connected'
  | 'reconnecting'
  | 'ended'
  | 'failed'

/** Browser APIs the call uses; injected so the core runs in browsers, Node and tests. */
export interface Platform {
  /** Peer connection constructor (the browser's, or a Node WebRTC stack's). */
  RTCPeerConnection: typeof RTCPeerConnection
  /** Media devices; only needed when the call captures media. */
  mediaDevices?: MediaDevicesLike
  /** MediaStream constructor, to assemble remote tracks; optional where no media is received. */
  MediaStream?: typeof MediaStream
  /**
   * Where `pagehide`, `pageshow`, `online`, `offline` and the page lifecycle's `resume` reach
   * (the browser's `window`): closing or leaving the page hangs the call
   * up, so the others see the peer leave at once instead of when its socket times out; the page
   * waking or the network coming back makes the call heal at once.
   */
  page?: PageEvents
  /**
   * Where a network change is announced (`navigator.connection`, where the browser has it): a
   * change (Wi-Fi to mobile data) restarts ICE with every peer at once.
   */
  network?: NetworkEvents
  /**
   * The WebSocket a signaling URL is reached with; the runtime's by default (browsers, Node 22+).
   * Node 20 has none: pass one (`ws`'s) or the signaling uses long polling.
   */
  WebSocket?: typeof WebSocket
}

/** Events of the page the call listens to. */
export type PageEventType = 'pagehide' | 'pageshow' | 'online' | 'offline' | 'resume'

/** The part of `window` the call listens on for the page going away, sleeping and waking. */
export interface PageEvents {
  /** Adds a listener; `capture` is set for `resume`, which is fired at the document. */
  addEventListener(type: PageEventType, listener: () => void, capture?: boolean): void
  /** Removes it when the call stops. */
  removeEventListener(type: PageEventType, listener: () => void, capture?: boolean): void
}

/** The part of `navigator.connection` (Network Information API) the call listens on. */
export interface NetworkEvents {
  /** Adds the `change` listener. */
  addEventListener(type: 'change', listener: () => void): void
  /** Removes it when the call stops. */
  removeEventListener(type: 'change', listener: () => void): void
}

/** Options of {@link createCall}. */
export interface CallOptions {
  /** Signaling server URL (Socket.io), or a factory for any transport. */
  signaling: string | (() => SignalingTransport)
  /** Room joined by `CALL.JOIN` when the event names none. */
  roomId?: string
  /**
   * What to capture; `false` makes a data-only call with no audio or video at all.
   * @default { audio: true, video: true }
   */
  media?: MediaStreamConstraints | false
  /**
   * When media cannot be acquired, join anyway and only receive (the error stays in `error`).
   * @default false
   */
  receiveOnlyFallback?: boolean
  /** ICE servers added to those the signaling server hands out. */
  iceServers?: RTCIceServer[]
  /**
   * Open reliable ordered data channels (messages and files) with every peer.
   * @default true
   */
  dataChannel?: boolean
  /**
   * Build the first peer connection, its offer and its ICE candidates while media previews,
   * so a join negotiates in one relay instead of a round of set-up after the server answers.
   * @default true
   */
  warmUp?: boolean
  /**
   * Period of the per-peer stats sample in ms; 0 turns it off.
   * @default 1000
   */
  statsIntervalMs?: number
  /**
   * Period of the audio level sample (ms) behind `speaking`, `activeSpeaker` and the levels; also
   * the shortest time between two snapshots it causes. 0 turns it off.
   * @default 100
   */
  audioLevelIntervalMs?: number
  /**
   * Codecs to negotiate first, by MIME type, e.g. `['video/VP9', 'video/H264']`; the others stay
   * after them. Ignored where the browser cannot reorder codecs.
   * @default the browser's order
   */
  preferredCodecs?: string[]
  /**
   * Send everything through the TURN servers (ICE transport policy `relay`), e.g. to test the
   * TURN path; a call without TURN servers then cannot connect.
   * @default false
   */
  forceRelay?: boolean
  /** Self-healing bounds: grace period, ICE restarts, backoff, fresh joins of the room. */
  healing?: Partial<CallHealingOptions>
  /**
   * Cap in bits/s on each outgoing video while the call has two or more remote peers (every
   * peer gets its own copy in a mesh); `false` leaves video uncapped. Applied with
   * `RTCRtpSender.setParameters`, without renegotiating.
   * @default 2.5 Mbps shared among the peers, at most 1 Mbps each (3 remote peers → 833 kbps)
   */
  groupVideoBitrate?: number | false
  /**
   * Browser APIs to use.
   * @default globalThis's RTCPeerConnection, MediaStream and navigator.mediaDevices
   */
  platform?: Platform
  /**
   * Receives every xstate inspection event of the call and its peers (e.g. `@statelyai/inspect`'s
   * `inspector.inspect`, or the demo's timeline). Unset, it costs nothing.
   */
  inspect?: InspectionObserver
}

/** How a call heals: each peer's ICE restarts, then fresh joins of the room. */
export interface CallHealingOptions extends HealingOptions {
  /**
   * Fresh joins of the room tried once the ICE restarts of every peer are spent, before the call
   * ends `failed`: the call leaves and joins again as a new peer (waiting for the signaling
   * server if it is away), and every connection starts over. Counted again from 0 once the call
   * is connected.
   * @default 1
   */
  rejoinAttempts: number
}

/** An xstate inspection observer: a function or an observer object of inspection events. */
export type InspectionObserver =
  | ((event: InspectionEvent) => void)
  | Partial<Observer<InspectionEvent>>

/** What a user (or a binding) sends to a call actor. */
export type CallCommand =
  | { type: 'CALL.START' }
  | { type: 'CALL.JOIN'; roomId?: string }
  | { type: 'CALL.HANG_UP' }
  | RelayedCommand
  | MediaCommand

/** Everything a call actor accepts: commands plus what its own child actors report. */
export type CallEvent =
  | CallCommand
  | MediaReport
  | { type: 'ROOM.JOINED'; result: JoinSuccess }
  | { type: 'ROOM.FAILED'; error: CallError }
  | { type: 'ROOM.REJOINED'; result: JoinSuccess }
  | { type: 'ROOM.LOST'; error: CallError }
  /**
   * A fresh join the call asked for (every peer had failed) did not go through; `error` is null
   * when the transport cannot rejoin at all.
   */
  | { type: 'ROOM.REJOIN_FAILED'; error: CallError | null }
  | { type: 'ICE.REFRESHED'; iceServers: IceServerData[] }
  | { type: 'SIGNALING.LOST'; reason: string }
  | { type: 'SIGNALING.RESTORED' }
  | { type: 'SIGNALING.ERROR'; error: CallError }
  | { type: 'PEER.JOINED'; peerId: string }
  | { type: 'PEER.LEFT'; peerId: string }
  | { type: 'PEER.AWAY'; peerId: string; heldUntil: number }
  | { type: 'PEER.BACK'; peerId: string }
  | { type: 'SIGNAL.RECEIVED'; from: string; signal: Signal }
  | WakeEvent
  | AudioLevelsReport
  | PeerReport

/**
 * What the page and the network tell the call: the page woke (thawed, or restored from the
 * back/forward cache), the network went offline, came back online, or changed.
 */
export type WakeEvent =
  | { type: 'PAGE.RESUMED' }
  | { type: 'NETWORK.OFFLINE' }
  | { type: 'NETWORK.ONLINE' }
  | { type: 'NETWORK.CHANGED' }

/** Events a call actor emits; subscribe with `actor.on(type, handler)`. */
export type CallEmitted =
  | { type: 'message'; peerId: string; data: DataMessage }
  | { type: 'file'; peerId: string; report: FileReport }
  | { type: 'error'; error: CallError }

/** A data-channel message as the call emits it. */
export type CallMessage = Extract<CallEmitted, { type: 'message' }>

/** A file-transfer report as the call emits it. */
export type CallFileEvent = Extract<CallEmitted, { type: 'file' }>

/** What the call knows about one remote peer. */
export interface PeerView {
  /** The peer's id in the room. */
  peerId: string
  /** Negotiation state with this peer. */
  status: PeerStatus
  /** Whether this side yields on glare (perfect negotiation). */
  polite: boolean
  /** The peer's media, once a track arrived. */
  stream: MediaStream | null
  /** The latest stats sample, when sampling is on. */
  stats: PeerStats | null
  /** Why the connection failed, once it did. */
  failure: string | null
  /**
   * `away` while the peer's signaling connection is down (the server holds its place) or the
   * connection to it is interrupted (ICE `disconnected`, or being restarted); `present` otherwise.
   */
  presence: PeerPresence
  /** When the peer went away (ms since epoch), while it is away. */
  awaySince: number | null
  /** When the server frees the away peer's place unless it comes back (ms since epoch). */
  heldUntil: number | null
  /** Whether ICE reports the connection to this peer interrupted right now. */
  iceInterrupted: boolean
  /** How good the connection is (loss, RTT, jitter, bandwidth); null until it first came up. */
  quality: ConnectionQuality | null
  /** Whether media goes straight to the peer or through a TURN relay; null before a pair is chosen. */
  route: 'direct' | 'relay' | null
  /** How loud the peer is and whether it speaks, as received. */
  audio: AudioActivity
}

/** Whether a peer is with us, or gone quiet and maybe coming back. */
export type PeerPresence = 'present' | 'away'

/** ICE servers as the call uses them (plain data, from the server and options). */
export type IceServers = IceServerData[]
