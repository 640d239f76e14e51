// Socket.io rooms the server uses. Prefixed so they never collide with each other or with socket
// ids (which Socket.io also uses as rooms, and which contain no colon).

/** The Socket.io room of everyone in a Duet room: `peer:joined` and `peer:left` go here. */
export const roomChannel = (roomId: string): string => `room:${roomId}`

/**
 * The Socket.io room of one peer, where its relays go. Relays are broadcasts to this room, not
 * `socket.emit`, because connection state recovery only stores and replays broadcasts: a peer
 * that reconnects within the window gets the relays it missed, once and in order.
 */
export const peerChannel = (peerId: string): string => `peer:${peerId}`
