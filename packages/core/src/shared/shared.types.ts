import type { ErrorCode } from '../protocol'

// The leaf every layer may import: peer, media and signaling share these with the call
// without depending on call/.

/** Payload a data channel carries. */
export type DataMessage = string | ArrayBuffer

/** Why local media could not be acquired. */
export type MediaErrorCode = 'media-denied' | 'no-device' | 'device-busy' | 'media-failed'

/** Why a signaling request failed: the server's code, or no answer at all. */
export type SignalingErrorCode = ErrorCode | 'signaling-unreachable'

/** Every reason a call can report in `error`. */
export type CallErrorCode = SignalingErrorCode | MediaErrorCode | 'connection-failed'

/** A typed, user-presentable call error. */
export interface CallError {
  /** Machine-readable reason. */
  code: CallErrorCode
  /** Human-readable explanation. */
  message: string
}

/** Describes any thrown value in one line. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error)
