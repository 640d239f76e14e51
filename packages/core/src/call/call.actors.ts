import { fromCallback } from 'xstate'
import type { JoinSuccess, OfferSignal, Signal } from '../protocol'
import { toSignalingError } from '../signaling/signaling.errors'
import type { SignalingNotice, SignalingTransport } from '../signaling/signaling.types'
import type { CallEvent, PageEvents } from './call.types'

// Share of the credentials' remaining lifetime after which they are refreshed.
const ICE_REFRESH_AT = 0.8

/** Input of {@link signalingSession}. */
export interface SignalingSessionInput {
  createTransport: () => SignalingTransport
}

/** Commands the call gives its signaling session. */
export type SignalingCommand =
  /**
   * Join asked for while the camera starts: the join leaves now, and its result and what the
   * room says meanwhile wait for `SIGNALING.JOIN`, when the call can take them.
   */
  | { type: 'SIGNALING.PREJOIN'; roomId: string }
  /**
   * Join (or take the early join's result), with the spare's offer when there is one: the join
   * leaves once it is settled (an offer still being made is waited for, briefly).
   */
  | { type: 'SIGNALING.JOIN'; roomId: string; offer: Promise<OfferSignal | null> | null }
  | { type: 'SIGNALING.SEND'; to: string; signal: Signal }
  /** The page or the network came back: reconnect now if the connection is down. */
  | { type: 'SIGNALING.WAKE' }
  /** Every peer failed: leave the room and join it again as a new peer. */
  | { type: 'SIGNALING.REJOIN' }

/**
 * Owns the signaling transport for one call: connects on start (ahead of the join), joins when
 * told, relays notices to the call, and closes the transport (leaving the room) when it stops.
 */
export const signalingSession = fromCallback<SignalingCommand, SignalingSessionInput, CallEvent>(
  ({ input, sendBack, receive }) => {
    let closed = false
    const report = (event: CallEvent) => {
      if (!closed) sendBack(event)
    }
    const transport = input.createTransport()
    // While an early join waits for the call to enter the room, the room's notices wait too
    // (a peer may offer to us before our camera is ready); the connection's own pass through.
    let held: SignalingNotice[] | null = null
    let earlyJoin: Promise<JoinSuccess> | null = null
    const unsubscribe = transport.subscribe((notice) => {
      // A rejoin under a new id waits too: the call takes it after the first place, as it would
      // have in the room.
      if (held && notice.type !== 'disconnected' && notice.type !== 'reconnected') {
        held.push(notice)
        return
      }
      handle(notice)
    })
    function handle(notice: SignalingNotice) {
      switch (notice.type) {
        case 'peer-joined':
          return report({ type: 'PEER.JOINED', peerId: notice.peerId })
        case 'peer-left':
          return report({ type: 'PEER.LEFT', peerId: notice.peerId })
        case 'peer-away':
          return report({ type: 'PEER.AWAY', peerId: notice.peerId, heldUntil: notice.heldUntil })
        case 'peer-back':
          return report({ type: 'PEER.BACK', peerId: notice.peerId })
        case 'signal':
          return report({ type: 'SIGNAL.RECEIVED', from: notice.from, signal: notice.signal })
        case 'disconnected':
          return report({ type: 'SIGNALING.LOST', reason: notice.reason })
        case 'reconnected':
          return report({ type: 'SIGNALING.RESTORED' })
        case 'rejoined':
          return rejoined(notice.result)
        case 'rejoin-failed':
          return report({ type: 'ROOM.LOST', error: toSignalingError(notice.error) })
      }
    }

    // TURN credentials expire; fetch fresh ones well before, so an ICE restart late in a long
    // call still finds a relay that accepts it.
    let refreshTimer: ReturnType<typeof setTimeout> | undefined
    function scheduleIceRefresh(expireAt: number | undefined) {
      clearTimeout(refreshTimer)
      if (expireAt === undefined || !transport.refreshIceServers) return
      const refresh = transport.refreshIceServers.bind(transport)
      const lead = Math.max(1000, (expireAt - Date.now()) * ICE_REFRESH_AT)
      refreshTimer = setTimeout(() => {
        refresh().then(
          (fresh) => {
            report({ type: 'ICE.REFRESHED', iceServers: fresh.iceServers })
            scheduleIceRefresh(fresh.iceServersExpireAt)
          },
          (error: unknown) => {
            report({ type: 'SIGNALING.ERROR', error: toSignalingError(error) })
            scheduleIceRefresh(Date.now() + 10_000)
          },
        )
      }, lead)
    }

    // Back in the room as a new peer, by the transport's own doing or the call's asking.
    function rejoined(result: JoinSuccess) {
      scheduleIceRefresh(result.iceServersExpireAt)
      report({ type: 'ROOM.REJOINED', result })
    }

    // Asked at once (Socket.io sends it as soon as the socket is up), while the camera starts:
    // the spare connection built ahead then gathers with the TURN servers the room will use.
    // A server that hands ICE servers out only in a room refuses; the join brings them then.
    transport.refreshIceServers?.().then(
      (fetched) => report({ type: 'ICE.REFRESHED', iceServers: fetched.iceServers }),
      () => {},
    )

    receive((command) => {
      if (command.type === 'SIGNALING.WAKE') return transport.wake?.()
      if (command.type === 'SIGNALING.REJOIN') {
        // The call then fails with its peers' reasons: there is no other error to tell.
        if (!transport.rejoin) return report({ type: 'ROOM.REJOIN_FAILED', error: null })
        transport
          .rejoin()
          .then(rejoined, (error: unknown) =>
            report({ type: 'ROOM.REJOIN_FAILED', error: toSignalingError(error) }),
          )
        return
      }
      if (command.type === 'SIGNALING.PREJOIN') {
        if (held || earlyJoin) return
        held = []
        earlyJoin = transport.join(command.roomId)
        // Reported at SIGNALING.JOIN; not an unhandled rejection meanwhile.
        earlyJoin.catch(() => {})
        return
      }
      if (command.type === 'SIGNALING.JOIN') {
        const { roomId, offer } = command
        const joining =
          earlyJoin ??
          (offer
            ? offer.then((ready) => {
                if (closed) throw new Error('signaling closed before the join left')
                return transport.join(roomId, ready ? { offer: ready } : undefined)
              })
            : transport.join(roomId))
        earlyJoin = null
        joining.then(
          (result: JoinSuccess) => {
            scheduleIceRefresh(result.iceServersExpireAt)
            report({ type: 'ROOM.JOINED', result })
            const waiting = held ?? []
            held = null
            for (const notice of waiting) handle(notice)
          },
          (error: unknown) => {
            held = null
            report({ type: 'ROOM.FAILED', error: toSignalingError(error) })
          },
        )
        return
      }
      transport
        .send(command.to, command.signal)
        .catch((error: unknown) =>
          report({ type: 'SIGNALING.ERROR', error: toSignalingError(error) }),
        )
    })
    return () => {
      closed = true
      clearTimeout(refreshTimer)
      unsubscribe()
      transport.close()
    }
  },
)

/**
 * Hangs the call up when the page goes (tab closed, reload, navigation away): the leave is sent
 * over the socket synchronously, before the page is torn down, so the others see the peer leave
 * at once. Without it they would see the socket time out many seconds later.
 */
export const pageExit = fromCallback<
  { type: 'never' },
  { page: PageEvents | undefined },
  CallEvent
>(({ input, sendBack }) => {
  const { page } = input
  if (!page) return
  const hangUp = () => sendBack({ type: 'CALL.HANG_UP' })
  page.addEventListener('pagehide', hangUp)
  return () => page.removeEventListener('pagehide', hangUp)
})
