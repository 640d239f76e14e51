/**
 * How to start the next call after one ended or failed: a call is single-use, so the room
 * page is re-created (a new key) with these options.
 */
export interface Restart {
  /** Join straight away instead of showing the preview. */
  autoJoin: boolean
  /** Join even without camera and microphone, receiving only (`receiveOnlyFallback`). */
  receiveOnly?: boolean
}

/** The options of the current room page. */
export interface Session {
  key: number
  autoJoin: boolean
  receiveOnly: boolean
}

/** The session that replaces `previous` after a restart. */
export function nextSession(
  previous: Session,
  { autoJoin, receiveOnly = false }: Restart,
): Session {
  return { key: previous.key + 1, autoJoin, receiveOnly }
}
