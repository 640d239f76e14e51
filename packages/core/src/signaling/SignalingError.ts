import type { CallErrorCode } from '../call/call.types'

/** A signaling request failed: refused by the server (its error code) or the server is unreachable. */
export class SignalingError extends Error {
  override readonly name = 'SignalingError'
  /** Machine-readable reason. */
  readonly code: CallErrorCode

  constructor(code: CallErrorCode, message: string) {
    super(message)
    this.code = code
  }
}
