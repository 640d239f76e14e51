import type { SignalingErrorCode } from '../shared/shared.types'

/** A signaling request failed: refused by the server (its error code) or the server is unreachable. */
export class SignalingError extends Error {
  override readonly name = 'SignalingError'
  /** Machine-readable reason: the server's error code, or `signaling-unreachable`. */
  readonly code: SignalingErrorCode

  constructor(code: SignalingErrorCode, message: string) {
    super(message)
    this.code = code
  }
}
