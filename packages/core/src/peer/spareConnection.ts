import { fromCallback } from 'xstate'
import type { IceCandidateData, OfferSignal } from '../protocol'
import { applyCodecPreferences } from './codecPreferences'
import { toCandidateData } from './peer.candidates'
import { type ChannelPair, createChannelPair } from './peer.channels'
import type { PreparedConnection } from './perfectNegotiation'

/**
 * A peer connection built ahead: tracks and data channels attached and, for the side that will
 * offer, the offer made and its ICE candidates gathered. The first negotiation takes it, so a
 * join costs one relay of that offer instead of building a connection and negotiating after the
 * server's answer.
 */
export interface SpareConnection extends PreparedConnection {
  pc: RTCPeerConnection
  channels: ChannelPair | null
  /** Built to offer (before the join, when peers may be waiting) or to answer (alone in a room). */
  offers: boolean
  /** The ICE servers it was built with; a negotiation that needs others offers afresh. */
  iceServers: RTCIceServer[]
  /** The offer's SDP as it left along a join (see {@link SpareSlot.offerAhead}). */
  sentOffer?: string
  /** The ahead-of-time offer's SDP once made, read without waiting (see `made`). */
  madeOffer: string | null
  /** Promised to a join still waiting for the offer: the spare is that join's, as if sent. */
  pledged?: boolean
}

/** Holds at most one spare; whoever takes it owns (and closes) its connection. */
export interface SpareSlot {
  /**
   * Hands the spare over, once, if it was built for this role and these ICE servers; otherwise
   * closes it. The answering side must not inherit an offer: rolled back, its transceivers no
   * longer pair with the remote offer's and a second negotiation follows.
   */
  take(role: {
    offers: boolean
    iceServers: RTCIceServer[]
    /** The join handed this spare's offer to the peer: it is that peer's, whatever its servers. */
    offerDelivered?: boolean
  }): SpareConnection | null
  /**
   * The offer of a spare built to offer with these ICE servers, as it stands (candidates
   * gathered so far included), to send along the join; the spare is kept for that join from
   * then on (no rebuild: a peer may be answering this very offer). An offer still being made is
   * waited for, at most `waitMs`: riding the join, it reaches the peer a relay sooner than
   * behind the join's answer. Null when there is none (or it did not come in time).
   */
  offerAhead(iceServers: RTCIceServer[], waitMs: number): Promise<OfferSignal | null>
  /** Leaves a freshly built spare to be taken. */
  put(spare: SpareConnection): void
  /** Closes the spare if nobody took it. */
  discard(spare: SpareConnection): void
  /** Whether a spare waits to be taken, built with these ICE servers when they are given. */
  has(iceServers?: RTCIceServer[]): boolean
}

// A spare gathered without the room's TURN servers would lack relay candidates. Credentials
// may differ (the join hands out fresh ones): those the spare was built with are still valid.
const urlsOf = (servers: RTCIceServer[]) =>
  JSON.stringify(servers.flatMap((server) => server.urls).sort())
const sameIceServers = (a: RTCIceServer[], b: RTCIceServer[]) => urlsOf(a) === urlsOf(b)

// The spare's offer as the peer may have it: once applied, with the candidates gathered since.
function offerSdpOf(spare: SpareConnection): string | null {
  const description = spare.pc.localDescription
  if (spare.pc.signalingState === 'have-local-offer' && description?.sdp) return description.sdp
  return spare.madeOffer
}

/** A slot for one call's spare connection. */
export function createSpareSlot(): SpareSlot {
  let held: SpareConnection | null = null
  return {
    take(role) {
      const spare = held
      held = null
      if (!spare) return null
      const delivered = role.offerDelivered === true && spare.sentOffer !== undefined
      spare.pledged = false
      if (
        spare.offers === role.offers &&
        (delivered || sameIceServers(spare.iceServers, role.iceServers))
      ) {
        return spare
      }
      closeSpare(spare)
      return null
    },
    put(spare) {
      held = spare
    },
    discard(spare) {
      if (held !== spare) return
      held = null
      closeSpare(spare)
    },
    async offerAhead(iceServers, waitMs) {
      const spare = held
      if (!spare?.offers || spare.pc.signalingState === 'closed') return null
      if (spare.sentOffer === undefined && !sameIceServers(spare.iceServers, iceServers)) {
        return null
      }
      if (offerSdpOf(spare) === null) {
        spare.pledged = true
        let timer: ReturnType<typeof setTimeout> | undefined
        await Promise.race([
          spare.made,
          new Promise((resolve) => {
            timer = setTimeout(resolve, waitMs)
          }),
        ])
        clearTimeout(timer)
        spare.pledged = false
      }
      // Replaced or closed while its offer was being made: nobody must answer that one.
      const sdp = offerSdpOf(spare)
      if (held !== spare || sdp === null) return null
      spare.sentOffer = sdp
      return { type: 'offer', sdp }
    },
    has: (iceServers) =>
      held !== null &&
      (iceServers === undefined ||
        held.sentOffer !== undefined ||
        held.pledged === true ||
        sameIceServers(held.iceServers, iceServers)),
  }
}

/** Closes a spare and its channels. */
export function closeSpare(spare: SpareConnection) {
  // Not in the middle of its offer: Node's libwebrtc binding can crash the process when a
  // connection is closed while it makes one (a spare dropped at once, when the join's answer
  // came back before the offer was made). Browsers do not mind either way.
  void spare.offered.finally(() => {
    spare.channels?.messages.close()
    spare.channels?.files.close()
    spare.pc.close()
  })
}

/** What a connection carries: a track per kind, or a transceiver waiting for one. */
export function addLocalMedia(
  pc: RTCPeerConnection,
  stream: MediaStream | null,
  mediaKinds: readonly ('audio' | 'video')[],
) {
  for (const kind of mediaKinds) {
    const track = stream?.getTracks().find((candidate) => candidate.kind === kind)
    if (track && stream) pc.addTrack(track, stream)
    else pc.addTransceiver(kind, { direction: 'sendrecv' })
  }
}

/**
 * Brings a spare's senders up to the media of now (the camera may have been switched or turned
 * off since it was built). The m-lines stay the same, so nothing needs negotiating again.
 */
export function syncLocalMedia(pc: RTCPeerConnection, stream: MediaStream | null) {
  for (const transceiver of pc.getTransceivers()) {
    const kind = transceiver.receiver.track.kind
    const track = stream?.getTracks().find((candidate) => candidate.kind === kind) ?? null
    if (transceiver.sender.track !== track) void transceiver.sender.replaceTrack(track)
  }
}

/** Input of {@link spareConnection}. */
export interface SpareInput {
  slot: SpareSlot
  RTCPeerConnection: typeof RTCPeerConnection | undefined
  localStream: MediaStream | null
  mediaKinds: ('audio' | 'video')[]
  iceServers: RTCIceServer[]
  dataChannel: boolean
  /** Make the offer (and gather) now, for the side that will offer. */
  offers: boolean
  /** Codec MIME types put first before the offer is made. */
  preferredCodecs: readonly string[]
  /** The call's ICE transport policy (`relay` to force TURN). */
  iceTransportPolicy: RTCIceTransportPolicy
}

/**
 * Builds the spare connection as soon as local media is ready and leaves it in the slot;
 * closes it when the call ends before any negotiation took it.
 */
export const spareConnection = fromCallback<{ type: string }, SpareInput>(({ input }) => {
  if (typeof input.RTCPeerConnection !== 'function') return
  // A pooled ICE session gathers now, so the answering side has candidates the moment it
  // answers instead of starting to gather then.
  const pc = new input.RTCPeerConnection({
    iceServers: input.iceServers,
    iceTransportPolicy: input.iceTransportPolicy,
    iceCandidatePoolSize: 1,
  })
  let channels: ReturnType<typeof createChannelPair> | null
  try {
    channels = input.dataChannel ? createChannelPair(pc) : null
    addLocalMedia(pc, input.localStream, input.mediaKinds)
    applyCodecPreferences(pc, input.preferredCodecs)
  } catch {
    // The spare only saves time: a platform that cannot take these tracks ahead of a peer must
    // not break the call. The negotiation that finds no spare builds its connection as usual.
    pc.close()
    return
  }
  const candidates: IceCandidateData[] = []
  pc.onicecandidate = ({ candidate }) => {
    if (candidate?.candidate) candidates.push(toCandidateData(candidate))
  }
  // Making the offer now also starts ICE gathering: by the join, the candidates are known.
  const offer = input.offers ? pc.createOffer() : null
  const made = offer
    ? offer.then(
        ({ sdp }) => {
          spare.madeOffer = sdp ?? null
          return spare.madeOffer
        },
        () => null,
      )
    : Promise.resolve(null)
  const offered = offer
    ? offer
        .then((description) => pc.setLocalDescription(description))
        .catch(() => {
          // The negotiation that takes the spare finds it stable and offers the usual way.
        })
    : Promise.resolve()
  const spare: SpareConnection = {
    pc,
    channels,
    offers: input.offers,
    iceServers: input.iceServers,
    made,
    madeOffer: null,
    offered,
    candidates,
  }
  input.slot.put(spare)
  return () => input.slot.discard(spare)
})
