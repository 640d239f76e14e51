/** Longest room id accepted by the server. */
export const MAX_ROOM_ID_LENGTH = 64

/** Characters a room id may use: URL-safe so it can sit in a path segment unescaped. */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]+$/

/** Largest SDP (offer or answer) accepted, in UTF-16 code units; real SDPs stay under 16 KiB. */
export const MAX_SDP_LENGTH = 64 * 1024

/** Largest ICE candidate line accepted. */
export const MAX_CANDIDATE_LENGTH = 1024

/** Longest peer id or mid accepted. */
export const MAX_ID_LENGTH = 128

/** Longest resume token accepted. */
export const MAX_TOKEN_LENGTH = 512

/** Longest authentication token (JWT) accepted: identity providers' tokens run to a few KiB. */
export const MAX_AUTH_TOKEN_LENGTH = 8192

/** Default number of peers a room holds. */
export const DEFAULT_ROOM_CAPACITY = 2

/**
 * Most peers a room may be configured to hold: every peer connects to every other (a mesh),
 * so each one's uplink carries a copy of its media per peer; past this a mesh cannot cope.
 */
export const MAX_ROOM_CAPACITY = 16

/**
 * Largest socket.io message the server needs to accept: one SDP plus envelope.
 * Servers set `maxHttpBufferSize` to this so a client cannot make them buffer more.
 */
export const MAX_MESSAGE_BYTES = MAX_SDP_LENGTH * 3 + 4096
