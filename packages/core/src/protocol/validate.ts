import { ErrorCode, type ProtocolError } from './errors'
import type {
  AuthRefreshRequest,
  IceCandidateData,
  JoinRequest,
  OfferSignal,
  OutgoingSignal,
  PeerAway,
  Signal,
} from './events'
import {
  MAX_AUTH_TOKEN_LENGTH,
  MAX_CANDIDATE_LENGTH,
  MAX_ID_LENGTH,
  MAX_ROOM_ID_LENGTH,
  MAX_SDP_LENGTH,
  MAX_TOKEN_LENGTH,
  ROOM_ID_PATTERN,
} from './limits'

/** Result of a validator: the parsed value, or an `INVALID_PAYLOAD` error naming the field. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ProtocolError }

const invalid = (message: string): { ok: false; error: ProtocolError } => ({
  ok: false,
  error: { code: ErrorCode.INVALID_PAYLOAD, message },
})

// Own-property reads only: a payload's prototype chain (e.g. `__proto__` keys) never counts.
function field(source: object, key: string): unknown {
  return Object.hasOwn(source, key) ? (source as Record<string, unknown>)[key] : undefined
}

const isRecord = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Tells whether a string is an acceptable room id. */
export function isRoomId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_ROOM_ID_LENGTH &&
    ROOM_ID_PATTERN.test(value)
  )
}

/** Validates a `room:join` payload. */
export function parseJoinRequest(payload: unknown): Parsed<JoinRequest> {
  if (!isRecord(payload)) return invalid('join request must be an object')
  const roomId = field(payload, 'roomId')
  if (!isRoomId(roomId)) {
    return invalid(`roomId must be 1-${MAX_ROOM_ID_LENGTH} characters of A-Z, a-z, 0-9, "_" or "-"`)
  }
  const offer = parseJoinOffer(field(payload, 'offer'))
  if (!offer.ok) return offer
  const resume = field(payload, 'resume')
  if (resume === undefined) return { ok: true, value: { roomId, ...offer.value } }
  if (!isRecord(resume)) return invalid('resume must be an object')
  const peerId = field(resume, 'peerId')
  const token = field(resume, 'token')
  if (typeof peerId !== 'string' || peerId.length === 0 || peerId.length > MAX_ID_LENGTH) {
    return invalid('resume.peerId must be a peer id')
  }
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    return invalid(`resume.token must be a string of at most ${MAX_TOKEN_LENGTH}`)
  }
  return { ok: true, value: { roomId, resume: { peerId, token } } }
}

function parseJoinOffer(value: unknown): Parsed<{ offer?: OfferSignal }> {
  if (value === undefined) return { ok: true, value: {} }
  const signal = parseSignal(value)
  if (!signal.ok) return signal
  if (signal.value.type !== 'offer') return invalid('offer must be a signal of type "offer"')
  return { ok: true, value: { offer: { type: 'offer', sdp: signal.value.sdp } } }
}

function parseCandidate(value: unknown): Parsed<IceCandidateData | null> {
  if (value === null) return { ok: true, value: null }
  if (!isRecord(value)) return invalid('signal.candidate must be an object or null')
  const candidate = field(value, 'candidate')
  if (typeof candidate !== 'string' || candidate.length > MAX_CANDIDATE_LENGTH) {
    return invalid(`signal.candidate.candidate must be a string of at most ${MAX_CANDIDATE_LENGTH}`)
  }
  const sdpMid = field(value, 'sdpMid')
  if (sdpMid != null && (typeof sdpMid !== 'string' || sdpMid.length > MAX_ID_LENGTH)) {
    return invalid('signal.candidate.sdpMid must be a short string or null')
  }
  const sdpMLineIndex = field(value, 'sdpMLineIndex')
  if (
    sdpMLineIndex != null &&
    (typeof sdpMLineIndex !== 'number' ||
      !Number.isInteger(sdpMLineIndex) ||
      sdpMLineIndex < 0 ||
      sdpMLineIndex > 1024)
  ) {
    return invalid('signal.candidate.sdpMLineIndex must be a small non-negative integer or null')
  }
  const usernameFragment = field(value, 'usernameFragment')
  if (
    usernameFragment != null &&
    (typeof usernameFragment !== 'string' || usernameFragment.length > MAX_ID_LENGTH)
  ) {
    return invalid('signal.candidate.usernameFragment must be a short string or null')
  }
  return {
    ok: true,
    value: {
      candidate,
      sdpMid: (sdpMid as string | null | undefined) ?? null,
      sdpMLineIndex: (sdpMLineIndex as number | null | undefined) ?? null,
      ...(usernameFragment != null ? { usernameFragment: usernameFragment as string } : {}),
    },
  }
}

/** Validates a signal (offer, answer or candidate) and returns a clean copy. */
export function parseSignal(value: unknown): Parsed<Signal> {
  if (!isRecord(value)) return invalid('signal must be an object')
  const type = field(value, 'type')
  if (type === 'offer' || type === 'answer') {
    const sdp = field(value, 'sdp')
    if (typeof sdp !== 'string' || sdp.length === 0 || sdp.length > MAX_SDP_LENGTH) {
      return invalid(`signal.sdp must be a non-empty string of at most ${MAX_SDP_LENGTH}`)
    }
    return { ok: true, value: { type, sdp } }
  }
  if (type === 'candidate') {
    const candidate = parseCandidate(field(value, 'candidate'))
    if (!candidate.ok) return candidate
    return { ok: true, value: { type, candidate: candidate.value } }
  }
  return invalid('signal.type must be "offer", "answer" or "candidate"')
}

/** Validates a `signal:send` payload. */
export function parseOutgoingSignal(payload: unknown): Parsed<OutgoingSignal> {
  if (!isRecord(payload)) return invalid('signal message must be an object')
  const to = field(payload, 'to')
  if (typeof to !== 'string' || to.length === 0 || to.length > MAX_ID_LENGTH) {
    return invalid('to must be a peer id')
  }
  const signal = parseSignal(field(payload, 'signal'))
  if (!signal.ok) return signal
  return { ok: true, value: { to, signal: signal.value } }
}

/** Validates an `auth:refresh` payload. */
export function parseAuthRefresh(payload: unknown): Parsed<AuthRefreshRequest> {
  if (!isRecord(payload)) return invalid('auth refresh must be an object')
  const token = field(payload, 'token')
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_AUTH_TOKEN_LENGTH) {
    return invalid(`token must be a string of at most ${MAX_AUTH_TOKEN_LENGTH}`)
  }
  return { ok: true, value: { token } }
}

/** Validates a `peer:away` notice (what a client receives), so a bad one is dropped, not shown. */
export function parsePeerAway(payload: unknown): Parsed<PeerAway> {
  if (!isRecord(payload)) return invalid('peer:away must be an object')
  const peerId = field(payload, 'peerId')
  if (typeof peerId !== 'string' || peerId.length === 0 || peerId.length > MAX_ID_LENGTH) {
    return invalid('peerId must be a peer id')
  }
  const heldUntil = field(payload, 'heldUntil')
  if (typeof heldUntil !== 'number' || !Number.isFinite(heldUntil) || heldUntil < 0) {
    return invalid('heldUntil must be a time in ms since epoch')
  }
  return { ok: true, value: { peerId, heldUntil } }
}
