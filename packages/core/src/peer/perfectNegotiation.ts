import type { DescriptionSignal, IceCandidateData, Signal } from '../protocol'

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

function toCandidateData(candidate: RTCIceCandidate): IceCandidateData {
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdpMid,
    sdpMLineIndex: candidate.sdpMLineIndex,
    usernameFragment: candidate.usernameFragment,
  }
}

/**
 * The W3C "perfect negotiation" pattern over one RTCPeerConnection: either side may negotiate
 * at any time, the impolite side ignores a colliding offer, the polite side rolls back.
 *
 * Unlike the textbook version, making an offer and applying a remote description run on one
 * queue, so they never interleave: a polite side's own offer can't land after it rolled back
 * for the remote one (the "Called in wrong state" error of naive implementations). Candidates
 * that arrive before their description are held, not dropped. Returns the handler for remote
 * signals.
 */
export function perfectNegotiation(
  pc: RTCPeerConnection,
  options: { polite: boolean; initiator: boolean },
  hooks: NegotiationHooks,
): (signal: Signal) => void {
  let ignoreOffer = false
  // The non-initiator waits for the initiator's offer rather than racing it with its own:
  // a guaranteed glare on every call start would cost a rollback round trip.
  let awaitingFirstOffer = !options.initiator
  const heldCandidates: IceCandidateData[] = []
  let queue = Promise.resolve()
  const enqueue = (operation: () => Promise<void>) => {
    queue = queue.then(operation)
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

  pc.onicecandidate = ({ candidate }) => {
    if (candidate?.candidate)
      hooks.signal({ type: 'candidate', candidate: toCandidateData(candidate) })
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
    await pc.setRemoteDescription(description)
    for (const candidate of heldCandidates.splice(0)) await addCandidate(candidate)
    if (description.type === 'offer') {
      awaitingFirstOffer = false
      hooks.answering()
      await pc.setLocalDescription(await pc.createAnswer())
      const answer = toSignal(pc.localDescription)
      if (answer) hooks.signal(answer)
    }
  }

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
