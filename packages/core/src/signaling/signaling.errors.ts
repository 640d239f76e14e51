import { type CallError, messageOf } from '../shared/shared.types'
import { SignalingError } from './SignalingError'

/** Maps a signaling failure to a typed call error. */
export function toSignalingError(error: unknown): CallError {
  if (error instanceof SignalingError) return { code: error.code, message: error.message }
  return { code: 'signaling-unreachable', message: messageOf(error) }
}
