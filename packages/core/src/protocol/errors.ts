/** Every error code the signaling server answers with. */
export const ErrorCode = {
  /** The payload failed validation; nothing changed. */
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  /** The room is at capacity. */
  ROOM_FULL: 'ROOM_FULL',
  /** The socket must join a room before doing this. */
  NOT_IN_ROOM: 'NOT_IN_ROOM',
  /** The socket is already in a room; one room per socket. */
  ALREADY_IN_ROOM: 'ALREADY_IN_ROOM',
  /** The target peer is not in the sender's room. */
  PEER_NOT_FOUND: 'PEER_NOT_FOUND',
  /** Too many messages; slow down. */
  RATE_LIMITED: 'RATE_LIMITED',
  /**
   * The peer you signal is away and the server already holds as many bytes for it (its
   * mailbox, its room, or the whole server) as its budget allows; nothing was kept. Retry once
   * it is back.
   */
  MAILBOX_FULL: 'MAILBOX_FULL',
  /** Too many connections from your address, or on the server; nothing was opened. */
  TOO_MANY_CONNECTIONS: 'TOO_MANY_CONNECTIONS',
  /** Authentication failed or the room is not allowed. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /**
   * A resume claim for a place whose connection the server still sees open: retry once the
   * server has noticed it dropped (it then holds the place for the resume window).
   */
  PLACE_IN_USE: 'PLACE_IN_USE',
  /** The server failed unexpectedly; details stay in its logs. */
  INTERNAL: 'INTERNAL',
} as const

/** A code from {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

/** The error half of every ack. */
export interface ProtocolError {
  /** Machine-readable reason. */
  code: ErrorCode
  /** Human-readable explanation, safe to show. */
  message: string
}

/** Builds the failed ack for a code. */
export function failure(code: ErrorCode, message: string): { ok: false; error: ProtocolError } {
  return { ok: false, error: { code, message } }
}

/** Tells whether a value is a known error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ErrorCode, value)
}
