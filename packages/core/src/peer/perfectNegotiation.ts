import type { DescriptionSignal, IceCandidateData, Signal } from '../protocol'
import { keepDtlsRole } from './dtlsRole'
import { toCandidateData } from './peer.candidates'

/** A connection built ahead with its offer (a spare connection is one). */
export interface PreparedConnection {
  /** The ahead-of-time offer's SDP once made (null if none): it may leave while it is applied. */
  made: Promise<string | null>
  /** Settles once the ahead-of-time offer is the local description (or could not be made). */
  offered: Promise<void>
  /** Candidates gathered before anyone listened; those missing from the offer's SDP go out after it. */
  candidates: IceCandidateData[]
}

/** Hooks through which perfect negotiation talks to the rest of the connection actor. */
export interface NegotiationHooks {
  signal: (signal: Signal) => void
  offering: () => void
  answering: () => void
  error: (message: string) => void
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error))

function toSignal(description: RTCSessionDescription | null): DescriptionSignal | null {
  if (!description || (description.type !== 'offer' && description.type !== 'answer')) return null
  return { type: description.type, sdp: description.sdp }
}

/**
 * The W3C "perfect negotiation" pattern over one RTCPeerConnection: either side may negotiate
 * at any time, the impolite side ignores a colliding offer, the polite side rolls back.
 *
 * Unlike the textbook version, making an offer and applying a remote description run on one
 * queue, so they never interleave: a polite side's own offer can't land after it rolled back
 * for the remote one (the "Called in wrong state" error of naive implementations). Candidates
 * that arrive before their description are held, not dropped. A connection `prepared` ahead
 * sends the offer it made at once. Returns the handler for remote signals.
 */
export function perfectNegotiation(
  pc: RTCPeerConnection,
  options: {
    polite: boolean
    initiator: boolean
    prepared?: PreparedConnection | null
    /** The prepared offer's SDP as the peer got it already (along the join): not sent again. */
    delivered?: string | undefined
  },
  hooks: NegotiationHooks,
): (signal: Signal) => void {
  let ignoreOffer = false
  // The non-initiator waits for the initiator's offer rather than racing it with its own:
  // a guaranteed glare on every call start would cost a rollback round trip.
  let awaitingFirstOffer = !options.initiator
  const heldCandidates: IceCandidateData[] = []
  let queue = Promise.resolve()
  // Every operation reports its own failure; one that throws anyway must not stall the rest.
  const enqueue = (operation: () => Promise<void>) => {
    queue = queue.then(operation).catch((error: unknown) => {
      if (!isClosed()) hooks.error(`negotiation failed: ${describe(error)}`)
    })
  }
  // A function, not an inline check: TypeScript would keep the narrowing across awaits.
  const isClosed = () => pc.signalingState === 'closed'

  async function makeOffer() {
    // Not stable: a remote offer got in first. Once it is answered the browser fires
    // negotiationneeded again if our change still needs negotiating.
    if (awaitingFirstOffer || pc.signalingState !== 'stable') return
    try {
      hooks.offering()
      await pc.setLocalDescription(await pc.createOffer())
      const offer = toSignal(pc.localDescription)
      if (offer) hooks.signal(offer)
    } catch (error) {
      if (!isClosed()) hooks.error(`offer failed: ${describe(error)}`)
    }
  }

  pc.onnegotiationneeded = () => enqueue(makeOffer)

  const { prepared } = options
  // Until a prepared offer is out, its candidates wait: most are in its SDP already.
  const earlyCandidates: IceCandidateData[] = prepared ? prepared.candidates : []
  let holdCandidates = Boolean(prepared)
  pc.onicecandidate = ({ candidate }) => {
    if (!candidate?.candidate) return
    if (holdCandidates) earlyCandidates.push(toCandidateData(candidate))
    else hooks.signal({ type: 'candidate', candidate: toCandidateData(candidate) })
  }

  // The offer leaves as soon as it is made, while it is being applied (as an answer does): the
  // peer's answer queues behind the applying, and the candidates follow once it is applied.
  async function takePrepared(ahead: PreparedConnection) {
    const made = options.delivered ?? (await ahead.made)
    if (isClosed()) return
    if (made !== null) {
      hooks.offering()
      if (options.delivered === undefined) hooks.signal({ type: 'offer', sdp: made })
    }
    await ahead.offered
    if (isClosed()) return
    holdCandidates = false
    const held = earlyCandidates.splice(0)
    if (made !== null && pc.signalingState !== 'have-local-offer') {
      // Out already, but the connection would not take it: the peer answers an offer of nobody's.
      hooks.error('prepared offer could not be applied')
    } else if (made !== null) {
      for (const candidate of held) {
        if (!made.includes(candidate.candidate)) hooks.signal({ type: 'candidate', candidate })
      }
    }
    if (options.initiator) await makeOffer()
  }

  if (prepared) {
    enqueue(() =>
      takePrepared(prepared).catch((error: unknown) => {
        if (!isClosed()) hooks.error(`prepared offer failed: ${describe(error)}`)
      }),
    )
  }

  async function addCandidate(candidate: IceCandidateData) {
    try {
      await pc.addIceCandidate(candidate)
    } catch (error) {
      // Candidates of an offer we chose to ignore are expected to fail.
      if (!ignoreOffer) hooks.error(`candidate rejected: ${describe(error)}`)
    }
  }

  async function applyDescription(description: DescriptionSignal) {
    const collision = description.type === 'offer' && pc.signalingState !== 'stable'
    ignoreOffer = !options.polite && collision
    if (ignoreOffer) return
    if (collision) {
      // Explicit rollback: not every stack (Node's among them) rolls back implicitly.
      await pc.setLocalDescription({ type: 'rollback' })
    }
    await pc.setRemoteDescription(
      description.type === 'answer'
        ? {
            type: 'answer',
            sdp: keepDtlsRole(
              description.sdp,
              pc.currentLocalDescription?.sdp,
              pc.currentRemoteDescription?.sdp,
            ),
          }
        : description,
    )
    for (const candidate of heldCandidates.splice(0)) await addCandidate(candidate)
    if (description.type === 'offer') {
      awaitingFirstOffer = false
      hooks.answering()
      const answer = await pc.createAnswer()
      const applying = pc.setLocalDescription(answer)
      // An answer is final once created: sending it while it is applied here takes the time
      // of applying it off the other side's wait.
      if (answer.sdp) hooks.signal({ type: 'answer', sdp: answer.sdp })
      await applying
    }
  }

  // Candidates stay on the queue behind descriptions. Handing them to the connection while an
  // answer was still being applied saved little (most come inside the offer) and made the
  // glare test stall once under load.
  async function apply(signal: Signal) {
    if (isClosed()) return
    try {
      if (signal.type !== 'candidate') return await applyDescription(signal)
      if (!signal.candidate) return
      if (!pc.remoteDescription) heldCandidates.push(signal.candidate)
      else await addCandidate(signal.candidate)
    } catch (error) {
      if (!isClosed()) hooks.error(`${signal.type} failed: ${describe(error)}`)
    }
  }

  return (signal) => enqueue(() => apply(signal))
}
