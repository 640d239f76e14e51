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

/** Encoding limits for the video a call sends, applied without renegotiation. */
export interface VideoQuality {
  /** Upper bound of the video bitrate (bit/s). */
  maxBitrate?: number
  /** Upper bound of the frame rate (frames/s). */
  maxFramerate?: number
  /** Divide the resolution by this factor (1 = full size, 2 = half width and height). */
  scaleResolutionDownBy?: number
}

/**
 * What a user asks of the connections: the call hands each to its peers (all, or the one named
 * in `to`) and they to their connection, under this same name.
 */
export type RelayedCommand =
  | { type: 'CALL.SEND'; data: DataMessage; to?: string }
  | { type: 'CALL.SEND_FILE'; transferId: string; file: Blob; name: string; to?: string }
  | { type: 'CALL.CANCEL_FILE'; transferId: string }
  | { type: 'CALL.RESTART_ICE' }
  /** Limits the video sent to one peer (`to`) or, without `to`, to every peer. */
  | { type: 'CALL.VIDEO_QUALITY'; quality: VideoQuality; to?: string }

/** Describes any thrown value in one line. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error)
