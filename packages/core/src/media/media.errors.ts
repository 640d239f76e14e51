import { type CallError, type MediaErrorCode, messageOf } from '../shared/shared.types'

const MEDIA_ERRORS: Record<string, MediaErrorCode> = {
  NotAllowedError: 'media-denied',
  SecurityError: 'media-denied',
  NotFoundError: 'no-device',
  OverconstrainedError: 'no-device',
  NotReadableError: 'device-busy',
  AbortError: 'device-busy',
}

/** Maps a getUserMedia rejection (a DOMException by name) to a typed call error. */
export function toMediaError(error: unknown): CallError {
  const name = error instanceof Error ? error.name : ''
  return { code: MEDIA_ERRORS[name] ?? 'media-failed', message: messageOf(error) }
}
