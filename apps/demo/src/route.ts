import { isRoomId } from '@duet/core/protocol'

/** The pages of the demo. Navigation between them is a full page load, so each room gets a fresh call. */
export type Route = { name: 'room'; roomId: string } | { name: 'not-found' }

const ROOM_PATH = /^\/room\/([^/]+)\/?$/
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** A random room id: 10 characters of [a-z0-9] (~51 bits), short enough to read aloud. */
export function randomRoomId(length = 10): string {
  let id = ''
  const bytes = new Uint8Array(length * 2)
  while (id.length < length) {
    crypto.getRandomValues(bytes)
    for (const byte of bytes) {
      // Rejection sampling: 252 is the largest multiple of 36 below 256, so every char is equally likely.
      if (byte < 252 && id.length < length) id += ALPHABET[byte % ALPHABET.length]
    }
  }
  return id
}

/** Absolute path of a room page. */
export function roomPath(roomId: string): string {
  return `/room/${roomId}`
}

/**
 * Resolves the current location. `/` replaces itself with a fresh room, so the back button
 * never returns to a page that would immediately redirect again.
 */
export function resolveRoute(location: Location, history: History): Route {
  if (location.pathname === '/') {
    const path = roomPath(randomRoomId())
    history.replaceState(null, '', path + location.search)
    return { name: 'room', roomId: path.slice('/room/'.length) }
  }
  const roomId = ROOM_PATH.exec(location.pathname)?.[1]
  return roomId && isRoomId(roomId) ? { name: 'room', roomId } : { name: 'not-found' }
}
