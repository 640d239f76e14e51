import { SignalingError } from '../signaling/SignalingError'
import type { CallError, MediaErrorCode } from './call.types'

const MEDIA_ERRORS: Record<string, MediaErrorCode> = {
  NotAllowedError: 'media-denied',
  SecurityError: 'media-denied',
  NotFoundError: 'no-device',
  OverconstrainedError: 'no-device',
  NotReadableError: 'device-busy',
  AbortError: 'device-busy',
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** Maps a getUserMedia rejection (a DOMException by name) to a typed call error. */
export function toMediaError(error: unknown): CallError {
  const name = error instanceof Error ? error.name : ''
  return { code: MEDIA_ERRORS[name] ?? 'media-failed', message: messageOf(error) }
}

/** Maps a signaling failure to a typed call error. */
export function toSignalingError(error: unknown): CallError {
  if (error instanceof SignalingError) return { code: error.code, message: error.message }
  return { code: 'signaling-unreachable', message: messageOf(error) }
}
