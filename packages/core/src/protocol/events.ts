import type { ProtocolError } from './errors'

/** A session description as plain data (no DOM types): what `RTCSessionDescriptionInit` carries. */
export interface DescriptionSignal {
  /** Offer or answer. */
  type: 'offer' | 'answer'
  /** The SDP text. */
  sdp: string
}

/** An ICE candidate as plain data; `candidate: null` marks the end of candidates. */
export interface CandidateSignal {
  /** Discriminant. */
  type: 'candidate'
  /** The trickled candidate, or null at the end of gathering. */
  candidate: IceCandidateData | null
}

/** The fields of `RTCIceCandidateInit` a peer needs to add a candidate. */
export interface IceCandidateData {
  /** The `candidate:` line. */
  candidate: string
  /** Media stream id the candidate belongs to. */
  sdpMid?: string | null
  /** M-line index the candidate belongs to. */
  sdpMLineIndex?: number | null
  /** ICE username fragment, to tell restarts apart. */
  usernameFragment?: string | null
}

/** Anything one peer relays to another through the server. */
export type Signal = DescriptionSignal | CandidateSignal

/** An ICE server as plain data (mirrors `RTCIceServer`). */
export interface IceServerData {
  /** One or more STUN/TURN URLs. */
  urls: string | string[]
  /** TURN username. */
  username?: string
  /** TURN credential. */
  credential?: string
}

/** A peer as the server describes it. */
export interface PeerInfo {
  /** Server-assigned id, stable for the peer's stay in the room. */
  peerId: string
}

/**
 * Why a peer left its room: it left (hung up, closed its tab), or its connection dropped and it
 * did not come back within the resume window (`expired`).
 */
export type LeaveReason = 'left' | 'expired'

/** Payload of `peer:left`. */
export interface PeerLeft extends PeerInfo {
  /** Why the peer is gone. */
  reason: LeaveReason
}

/** Payload of `peer:away`: the peer's connection dropped; its place is held for it. */
export interface PeerAway extends PeerInfo {
  /** When its place is freed (ms since epoch) unless it comes back first. */
  heldUntil: number
}

/** Proof that a client held a peer id before its connection dropped. */
export interface ResumeClaim {
  /** The peer id to take back. */
  peerId: string
  /** The `resumeToken` of the earlier join result. */
  token: string
}

/** Payload of `room:join`. */
export interface JoinRequest {
  /** Room to join; see `ROOM_ID_PATTERN`. */
  roomId: string
  /** Rejoin as the same peer after a reconnect that connection state recovery could not cover. */
  resume?: ResumeClaim
  /**
   * An offer made ahead (with its gathered candidates in the SDP): the server relays it to the
   * oldest peer of the room along with the join, one signaling round trip before a separate
   * `signal:send` could; `offeredTo` in the result says who got it. Ignored for a resume.
   */
  offer?: OfferSignal
}

/** An offer, as `room:join` carries it. */
export interface OfferSignal extends DescriptionSignal {
  /** Discriminant: only an offer can ride along a join. */
  type: 'offer'
}

/** Successful join. */
export interface JoinSuccess {
  /** Discriminant. */
  ok: true
  /** The room joined. */
  roomId: string
  /** Your own peer id in this room. */
  peerId: string
  /** Peers already present, oldest first. */
  peers: PeerInfo[]
  /** ICE servers to use for this room (TURN credentials included when configured). */
  iceServers: IceServerData[]
  /** Room capacity, so a client can show "room full" states ahead. */
  capacity: number
  /** Secret that lets this peer rejoin with the same id after a reconnect (see `resume`). */
  resumeToken: string
  /** When the TURN credentials in `iceServers` expire (ms since epoch); absent when they don't. */
  iceServersExpireAt?: number
  /** The peer the join's `offer` was relayed to; absent when nobody got it (send it yourself). */
  offeredTo?: string
}

/** Successful `ice:refresh`: fresh ICE servers (new TURN credentials). */
export interface IceRefreshSuccess {
  /** Discriminant. */
  ok: true
  /** ICE servers to switch to with `setConfiguration`. */
  iceServers: IceServerData[]
  /** When these expire (ms since epoch); absent when they don't. */
  iceServersExpireAt?: number
}

/** Payload of `auth:refresh`: a fresh authentication token for the same subject. */
export interface AuthRefreshRequest {
  /** The new token (a JWT with the built-in verifier). */
  token: string
}

/** Successful `auth:refresh`: the connection now lives on the new token. */
export interface AuthRefreshSuccess {
  /** Discriminant. */
  ok: true
  /** When the new token expires (ms since epoch); absent when it does not. */
  expiresAt?: number
}

/** A failed request. */
export interface Failure {
  /** Discriminant. */
  ok: false
  /** What went wrong. */
  error: ProtocolError
}

/** Ack of `room:join`. */
export type JoinResult = JoinSuccess | Failure

/** Ack of `ice:refresh`. */
export type IceRefreshResult = IceRefreshSuccess | Failure

/** Ack of `auth:refresh`. */
export type AuthRefreshResult = AuthRefreshSuccess | Failure

/** Ack of requests that return nothing but success. */
export type Ack = { ok: true } | Failure

/** Payload of `signal:send`. */
export interface OutgoingSignal {
  /** Peer id of the recipient, in the sender's room. */
  to: string
  /** What to relay. */
  signal: Signal
}

/** Payload of `signal:receive`. */
export interface IncomingSignal {
  /** Peer id of the sender. */
  from: string
  /** What was relayed. */
  signal: Signal
}

/** Events a client emits to the server. */
export interface ClientToServerEvents {
  /** Join a room (one per socket). */
  'room:join': (request: JoinRequest, ack: (result: JoinResult) => void) => void
  /** Leave the current room. */
  'room:leave': (ack: (result: Ack) => void) => void
  /** Relay a signal to a peer in the same room. */
  'signal:send': (message: OutgoingSignal, ack: (result: Ack) => void) => void
  /**
   * Ask for ICE servers: before a join (a client fetches them while its camera starts), or in a
   * room before the current TURN credentials expire.
   */
  'ice:refresh': (ack: (result: IceRefreshResult) => void) => void
  /**
   * Present a fresh authentication token before the current one expires (after `auth:expiring`);
   * refused with `UNAUTHORIZED` if it is invalid or names another subject.
   */
  'auth:refresh': (request: AuthRefreshRequest, ack: (result: AuthRefreshResult) => void) => void
}

/** Events the server emits to a client. */
export interface ServerToClientEvents {
  /** A peer entered your room. */
  'peer:joined': (peer: PeerInfo) => void
  /** A peer left your room, or its place was freed after it did not come back in time. */
  'peer:left': (peer: PeerLeft) => void
  /**
   * A peer's connection dropped without a leave: its place is held until `heldUntil`, then it
   * leaves (`peer:left`, reason `expired`) unless it comes back (`peer:back`) first.
   */
  'peer:away': (notice: PeerAway) => void
  /** A peer that was away is back in the room, as the same peer. */
  'peer:back': (peer: PeerInfo) => void
  /**
   * A signal relayed from a peer in your room. Relays kept while you were away come with `ack`: call it once handled, and the
   * server forgets them (until then it keeps them for your next resume).
   */
  'signal:receive': (message: IncomingSignal, ack?: () => void) => void
  /**
   * The server is shutting down: reconnect (to another node) now; your room and peer id are
   * kept for the resume window.
   */
  'server:draining': () => void
  /**
   * Your place in the room is gone although your connection came back (the resume window
   * passed, or another connection took the place over): join again.
   */
  'room:lost': (info: { roomId: string }) => void
  /**
   * Your authentication token expires soon: send `auth:refresh` with a fresh one before
   * `expiresAt` (ms since epoch), or the server disconnects you then.
   */
  'auth:expiring': (info: { expiresAt: number }) => void
  /** Your authentication token expired without a refresh: the server disconnects you now. */
  'auth:expired': () => void
}

/** Names of the client → server events, for validation of unknown event names. */
export const CLIENT_EVENTS = [
  'room:join',
  'room:leave',
  'signal:send',
  'ice:refresh',
  'auth:refresh',
] as const satisfies readonly (keyof ClientToServerEvents)[]
