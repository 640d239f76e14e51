import type { DataMessage } from '@duet/core'

/** One line of the chat. */
export interface ChatEntry {
  id: number
  /** Who wrote it: this side, or the other person. */
  from: 'me' | 'them'
  text: string
  at: Date
}

let nextId = 1

/** A chat line; binary messages (nothing in this demo sends them) show their size. */
export function chatEntry(from: ChatEntry['from'], data: DataMessage): ChatEntry {
  const text = typeof data === 'string' ? data : `[${data.byteLength} bytes of binary data]`
  return { id: nextId++, from, text, at: new Date() }
}

/** `14:03`. */
export function chatTime(at: Date): string {
  return at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}
