import { randomUUID } from 'node:crypto'
import {
  type Ack,
  ErrorCode,
  type Failure,
  failure,
  type IceRefreshResult,
  type IncomingSignal,
  type JoinResult,
  type JoinSuccess,
  type OfferSignal,
  parseJoinRequest,
  parseOutgoingSignal,
} from '@duet/core/protocol'
import { mayJoin } from '../auth/authenticate'
import { grantExpired } from '../auth/authSession'
import type { Grant } from '../auth/authTypes'
import type { ResumeTokens } from '../auth/resumeTokens'
import type { IceGrant } from '../auth/turnCredentials'
import { type Logger, logs } from '../ops/logger'
import type { ServerMetrics } from '../ops/serverMetrics'
import { peerChannel, roomChannel } from '../rooms/channels'
import { announceAway, announceBack, announceLeft, type Presence } from '../rooms/presence'
import type { Delivery, OwnedPlace, Place, ResumeOutcome, RoomStore } from '../rooms/roomStore'
import type { Membership, SignalingIo, SignalingSocket } from '../serverTypes'
import type { RequestInfo } from './request'

/** Everything the peer operations need from the server that owns them. */
export interface PeerContext {
  /** The server, to deliver to other sockets (on any node). */
  io: SignalingIo
  /** Room membership, shared by all nodes. */
  store: RoomStore
  /** Places held by this node's sockets. */
  presence: Presence
  /** Peers per room. */
  capacity: number
  /** ICE servers (with TURN credentials for an authenticated peer, if configured). */
  grantIce(peerId: string, grant: Grant | undefined): IceGrant
  /** Issues and checks resume tokens. */
  tokens: ResumeTokens
  /** How long a disconnected peer keeps its place, in ms; 0 frees it at once. */
  resumeWindowMs: number
  /** Receives joins, leaves, resumes and failures. */
  logger: Logger
  /** Counts joins, resumes, relays and expiries. */
  metrics: ServerMetrics
  /** Keeps track of work that outlives its request (handing kept relays over). */
  track(work: Promise<unknown>): void
  /**
   * Whether Socket.io keeps broadcasts for a reconnecting socket (connection state recovery):
   * then relays must be broadcasts, which are what it keeps.
   */
  recovery: boolean
}

/** Bytes of kept relays sent per page: a resume never pulls a whole mailbox at once. */
const KEPT_PAGE_BYTES = 256 * 1024

/** How long a resumed peer has to acknowledge a page of kept relays. */
const KEPT_ACK_MS = 5000

// Disconnects after which the client reconnects by itself (Socket.io's own list of reasons for
// which it keeps a recovery session): these keep the place for the resume window. A deliberate
// disconnect (`client namespace disconnect`) or an eviction frees it at once.
const RECOVERABLE = new Set([
  'transport error',
  'transport close',
  'forced close',
  'ping timeout',
  'server shutting down',
  'forced server close',
])

/** The operations of one peer: join, leave, relay, refresh, and what a reconnect changes. */
export interface PeerOperations {
  /** `room:join`: a fresh place, or the old one back with a valid resume claim. */
  join(socket: SignalingSocket, payload: unknown, info: RequestInfo): Promise<JoinResult>
  /** `room:leave`. */
  leave(socket: SignalingSocket): Promise<Ack>
  /** `signal:send`. */
  relay(socket: SignalingSocket, payload: unknown, info: RequestInfo): Ack | Promise<Ack>
  /** `ice:refresh`. */
  refreshIce(socket: SignalingSocket): IceRefreshResult
  /** After Socket.io recovered a session: take the place back, or drop it if it is gone. */
  recover(socket: SignalingSocket): Promise<void>
  /** After a disconnect: hold the place for the resume window, or free it. */
  depart(socket: SignalingSocket, reason: string): Promise<void>
  /**
   * Before a drain closes the socket's transport: mark its place away, so that relays to it are
   * kept for its return from now on (its disconnect then holds it again, harmlessly).
   */
  away(socket: SignalingSocket): Promise<void>
}

/** Builds the peer operations over a room store. */
export function createPeerOperations(context: PeerContext): PeerOperations {
  const { io, store, presence, capacity, tokens, logger, metrics } = context

  function attach(socket: SignalingSocket, place: Place): void {
    socket.data.membership = { roomId: place.roomId, peerId: place.peerId }
    socket.join([roomChannel(place.roomId), peerChannel(place.peerId)])
    presence.add(socket, place)
  }

  function detach(socket: SignalingSocket): void {
    const membership = socket.data.membership
    if (!membership) return
    socket.data.membership = undefined
    socket.leave(roomChannel(membership.roomId))
    socket.leave(peerChannel(membership.peerId))
    presence.remove(socket.id)
  }

  // Kept relays go out page by page, each asking for an ack, and leave the store only once the
  // page is acknowledged: a peer that drops (or whose resume answer got lost) gets them again
  // on its next resume. New relays to it queue behind them in the store until the last page,
  // so nothing overtakes them. A connected client that does not ack (an older one) got them
  // all the same: past the timeout they are forgotten too.
  async function handOverKept(socket: SignalingSocket, place: OwnedPlace): Promise<void> {
    for (;;) {
      const page = await store.keptPage(place, KEPT_PAGE_BYTES)
      if (page === undefined) return
      await Promise.all(
        page.map(
          (message) =>
            // Settles on the ack or on the timeout alike: what counts is checked below.
            new Promise<void>((settle) =>
              socket.timeout(KEPT_ACK_MS).emit('signal:receive', message, () => settle()),
            ),
        ),
      )
      if (!socket.connected) return
      if ((await store.forgetKept(place, page.length)) <= 0) return
    }
  }

  function handOver(socket: SignalingSocket, place: Place): void {
    const owned = { ...place, socketId: socket.id }
    context.track(
      handOverKept(socket, owned).catch((error: unknown) => {
        logger.warn('kept relays not handed over', { ...place, error })
      }),
    )
  }

  function success(socket: SignalingSocket, place: Place, others: readonly string[]): JoinSuccess {
    logger.info('peer joined', { ...place, subject: socket.data.grant?.subject })
    return {
      ok: true,
      roomId: place.roomId,
      peerId: place.peerId,
      peers: others.map((peerId) => ({ peerId })),
      ...context.grantIce(place.peerId, socket.data.grant),
      capacity,
      resumeToken: tokens.issue({
        ...place,
        owner: socket.id,
        subject: socket.data.grant?.subject,
      }),
    }
  }

  function resumed(
    socket: SignalingSocket,
    place: Place,
    outcome: Extract<ResumeOutcome, { ok: true }>,
    info: RequestInfo,
  ): JoinSuccess {
    attach(socket, place)
    announceBack(socket, place)
    // The old socket (a half-open connection the server has not noticed yet) must stop
    // receiving this peer's relays; it owns nothing any more, so its disconnect frees nothing.
    if (outcome.replaced) io.in(outcome.replaced).disconnectSockets(true)
    if (outcome.kept) info.afterAck(() => handOver(socket, place))
    metrics.joins.inc({ kind: 'resumed' })
    metrics.resumes.inc({ via: 'token' })
    logger.info('peer resumed', { ...place, via: 'token', kept: outcome.kept })
    return success(socket, place, outcome.others)
  }

  async function join(
    socket: SignalingSocket,
    payload: unknown,
    info: RequestInfo,
  ): Promise<JoinResult> {
    const parsed = parseJoinRequest(payload)
    if (!parsed.ok) return parsed
    if (socket.data.membership) {
      return failure(ErrorCode.ALREADY_IN_ROOM, 'leave your room before joining another')
    }
    const { roomId, resume } = parsed.value
    if (!mayJoin(socket.data.grant, roomId)) {
      return failure(ErrorCode.UNAUTHORIZED, 'you may not join this room')
    }
    if (grantExpired(socket.data.grant)) {
      return failure(ErrorCode.UNAUTHORIZED, 'your token expired')
    }
    if (resume) {
      const place = { roomId, peerId: resume.peerId }
      const check = tokens.verify({ ...place, subject: socket.data.grant?.subject }, resume.token)
      if (!check.ok) return failure(ErrorCode.UNAUTHORIZED, `${check.reason} resume token`)
      // A place is taken back only from a connection that is gone: one the server still sees
      // open may be its rightful owner, whoever else holds a copy of the token.
      if (await isConnected(check.owner)) {
        return failure(ErrorCode.PLACE_IN_USE, 'that place is still connected; retry shortly')
      }
      const outcome = await store.resume({ ...place, socketId: socket.id }, check.owner)
      if (outcome.ok) return resumed(socket, place, outcome, info)
      // Owned by another socket since: this token was used already.
      if (outcome.reason === 'taken') return failure(ErrorCode.UNAUTHORIZED, 'used resume token')
      if (outcome.reason === 'expired') {
        metrics.expired.inc()
        announceLeft(io, place, 'expired')
      }
      // The old place is gone (its window passed): a fresh place, under a new peer id.
    }
    const place = { roomId, peerId: randomUUID() }
    const outcome = await store.join({ ...place, socketId: socket.id }, capacity)
    if (!outcome.ok)
      return failure(ErrorCode.ROOM_FULL, `room is full: it holds at most ${capacity} peers`)
    if (!socket.connected) {
      // Gone while the store answered: nobody will ever use this place.
      await store.leave({ ...place, socketId: socket.id })
      return failure(ErrorCode.INTERNAL, 'disconnected')
    }
    attach(socket, place)
    socket.to(roomChannel(roomId)).emit('peer:joined', { peerId: place.peerId })
    metrics.joins.inc({ kind: 'new' })
    const offeredTo = parsed.value.offer
      ? await handOffer(socket, place, outcome.others[0], parsed.value.offer, info)
      : undefined
    const joined = success(socket, place, outcome.others)
    return offeredTo === undefined ? joined : { ...joined, offeredTo }
  }

  // The joiner's offer, made ahead, goes to the oldest peer right behind the joined notice, as
  // the joiner's own relay would a round trip later; same budgets (an away peer keeps it in its
  // mailbox). Refused, nobody got it, and the joiner sends it itself.
  async function handOffer(
    socket: SignalingSocket,
    place: Place,
    to: string | undefined,
    offer: OfferSignal,
    info: RequestInfo,
  ): Promise<string | undefined> {
    if (to === undefined) return undefined
    const message: IncomingSignal = { from: place.peerId, signal: offer }
    const sender = { ...place, socketId: socket.id }
    const delivery = await store.deliver(sender, to, message)
    return relayed(socket, place, to, message, delivery, info).ok ? to : undefined
  }

  async function leave(socket: SignalingSocket): Promise<Ack> {
    const membership = socket.data.membership
    if (!membership) return failure(ErrorCode.NOT_IN_ROOM, 'you are not in a room')
    // Out of the channels first: nothing for the room reaches a socket that asked to leave.
    detach(socket)
    if (await store.leave({ ...membership, socketId: socket.id })) {
      announceLeft(io, membership, 'left')
      logger.info('peer left', { ...membership })
    }
    return { ok: true }
  }

  // The hot path: every signal of every call comes through here. With the in-memory store it
  // runs start to finish synchronously (no promise, no microtask), allocating only the relayed
  // message and what Socket.io needs to send it.
  function relay(socket: SignalingSocket, payload: unknown, info: RequestInfo): Ack | Promise<Ack> {
    const parsed = parseOutgoingSignal(payload)
    if (!parsed.ok) return parsed
    const membership = socket.data.membership
    if (!membership) return failure(ErrorCode.NOT_IN_ROOM, 'join a room before signaling')
    const { to, signal } = parsed.value
    // Relaying to yourself is never useful and would hide a client bug, so it counts as
    // "not another peer of your room".
    if (to === membership.peerId)
      return failure(ErrorCode.PEER_NOT_FOUND, 'no such peer in your room')
    // The parsed copy is relayed, never the raw payload: extra fields stay behind.
    const message: IncomingSignal = { from: membership.peerId, signal }
    const sender = { roomId: membership.roomId, peerId: membership.peerId, socketId: socket.id }
    const delivery = store.deliver(sender, to, message)
    if (typeof delivery === 'string')
      return relayed(socket, membership, to, message, delivery, info)
    return delivery.then((settled) => relayed(socket, membership, to, message, settled, info))
  }

  function relayed(
    socket: SignalingSocket,
    membership: Membership,
    to: string,
    message: IncomingSignal,
    delivery: Delivery,
    info: RequestInfo,
  ): Ack {
    const refused = refusal(delivery)
    if (refused) {
      if (delivery === 'gone') detach(socket)
      else if (refused.error.code === ErrorCode.MAILBOX_FULL)
        metrics.heldRefused.inc({ budget: delivery })
      return refused
    }
    if (delivery === 'live') deliverLive(to, message)
    metrics.relays.inc()
    metrics.relayDuration.observe((performance.now() - info.receivedAt) / 1000)
    // Asked per relay (a logger may change its level at run time), before building the entry.
    if (logs(logger, 'debug')) {
      logger.debug('signal relayed', {
        roomId: membership.roomId,
        from: membership.peerId,
        to,
        delivery,
      })
    }
    return RELAYED
  }

  // A peer connected to this node gets the relay straight on its socket: a broadcast builds an
  // operator, room and exclusion sets for every relay, which is most of what a relay allocates.
  // Without recovery nothing needs the broadcast (see `peerChannel`); with it, or for a peer on
  // another node, the relay goes through the adapter as before.
  function deliverLive(to: string, message: IncomingSignal): void {
    const local = context.recovery ? undefined : presence.socketOf(to)
    if (local?.connected) local.emit('signal:receive', message)
    else io.to(peerChannel(to)).emit('signal:receive', message)
  }

  // Also before a join: a client fetches them while its camera starts, so the connection it
  // builds ahead gathers with TURN. TURN still goes to authenticated sockets only (grantIce);
  // until the socket has a peer id its credential names the socket.
  function refreshIce(socket: SignalingSocket): IceRefreshResult {
    const grant = socket.data.grant
    if (grantExpired(grant)) return failure(ErrorCode.UNAUTHORIZED, 'your token expired')
    const holder = socket.data.membership?.peerId ?? socket.id
    return { ok: true, ...context.grantIce(holder, grant) }
  }

  // On this node first (no round trip); else every node is asked. A node that does not answer
  // (killed) cannot hold a live connection, so a failed question counts as "not connected".
  async function isConnected(socketId: string): Promise<boolean> {
    if (io.of('/').sockets.has(socketId)) return true
    try {
      return (await io.in(socketId).fetchSockets()).length > 0
    } catch {
      return false
    }
  }

  async function recover(socket: SignalingSocket): Promise<void> {
    const membership = socket.data.membership
    if (!membership) return
    const outcome = await store.resume({ ...membership, socketId: socket.id }, socket.id)
    if (outcome.ok) {
      presence.add(socket, membership)
      announceBack(socket, membership)
      if (outcome.kept) handOver(socket, membership)
      metrics.resumes.inc({ via: 'recovery' })
      logger.info('peer resumed', { ...membership, via: 'recovery', kept: outcome.kept })
      return
    }
    if (outcome.reason === 'expired') {
      metrics.expired.inc()
      announceLeft(io, membership, 'expired')
    }
    // The session outlived the place (freed, or taken over by a resume token): the socket
    // stays connected but in no room, and is told so that it can join again.
    detach(socket)
    socket.emit('room:lost', { roomId: membership.roomId })
    logger.warn('recovered socket lost its place', { ...membership, reason: outcome.reason })
  }

  async function depart(socket: SignalingSocket, reason: string): Promise<void> {
    const membership = socket.data.membership
    if (!membership) return
    presence.remove(socket.id)
    // socket.data is not cleared: the recovery session Socket.io just saved may share it.
    const place = { ...membership, socketId: socket.id }
    if (context.resumeWindowMs > 0 && RECOVERABLE.has(reason)) {
      const heldUntil = Date.now() + context.resumeWindowMs
      if (await store.hold(place, context.resumeWindowMs)) {
        announceAway(io, membership, heldUntil)
        logger.info('peer away', { ...membership, reason })
      }
      return
    }
    if (await store.leave(place)) {
      announceLeft(io, membership, 'left')
      logger.info('peer left', { ...membership, reason })
    }
  }

  async function away(socket: SignalingSocket): Promise<void> {
    const membership = socket.data.membership
    if (!membership || context.resumeWindowMs === 0) return
    await store.hold({ ...membership, socketId: socket.id }, context.resumeWindowMs)
  }

  return { join, leave, relay, refreshIce, recover, depart, away }
}

// Frozen and shared: socket.io only serializes an ack's argument, so one object serves them all.
const RELAYED: Ack = Object.freeze({ ok: true })

function refusal(delivery: Delivery): Failure | undefined {
  switch (delivery) {
    case 'missing':
      return failure(ErrorCode.PEER_NOT_FOUND, 'no such peer in your room')
    case 'mailbox-full':
      return failure(ErrorCode.MAILBOX_FULL, 'that peer is away and its mailbox is full')
    case 'room-full':
      return failure(ErrorCode.MAILBOX_FULL, 'the away peers of this room hold too much already')
    case 'store-full':
      return failure(ErrorCode.MAILBOX_FULL, 'the server holds too much for away peers already')
    case 'gone':
      return failure(ErrorCode.NOT_IN_ROOM, 'your place in the room is gone')
    default:
      return undefined
  }
}
