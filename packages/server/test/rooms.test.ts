import { describe, expect, it } from 'vitest'
import { MemoryRoomStore } from '../src/rooms'

describe('MemoryRoomStore', () => {
  it('should give each member a fresh peer id unrelated to its socket id', () => {
    const rooms = new MemoryRoomStore()
    const first = rooms.join('r', 'socket-1', 2)
    const second = rooms.join('r', 'socket-2', 2)
    expect(first.ok && second.ok).toBe(true)
    if (!first.ok || !second.ok) return
    expect(first.member.peerId).toMatch(/^[0-9a-f-]{36}$/)
    expect(first.member.peerId).not.toBe(second.member.peerId)
    expect(first.member.socketId).toBe('socket-1')
  })

  it('should list the others oldest first and refuse joins beyond capacity', () => {
    const rooms = new MemoryRoomStore()
    const a = rooms.join('r', 'a', 3)
    const b = rooms.join('r', 'b', 3)
    const c = rooms.join('r', 'c', 3)
    if (!a.ok || !b.ok || !c.ok) throw new Error('joins should succeed')
    expect(c.others.map((member) => member.socketId)).toEqual(['a', 'b'])
    expect(rooms.join('r', 'd', 3)).toEqual({ ok: false, reason: 'full' })
    expect(rooms.members('r').map((member) => member.socketId)).toEqual(['a', 'b', 'c'])
  })

  it('should keep rooms apart', () => {
    const rooms = new MemoryRoomStore()
    const a = rooms.join('one', 'a', 2)
    if (!a.ok) throw new Error('join should succeed')
    expect(rooms.member('one', a.member.peerId)).toEqual(a.member)
    expect(rooms.member('two', a.member.peerId)).toBeUndefined()
    expect(rooms.members('two')).toEqual([])
  })

  it('should free the slot on leave and forget empty rooms', () => {
    const rooms = new MemoryRoomStore()
    const a = rooms.join('r', 'a', 2)
    const b = rooms.join('r', 'b', 2)
    if (!a.ok || !b.ok) throw new Error('joins should succeed')
    expect(rooms.leave('r', a.member.peerId)).toBe(true)
    expect(rooms.leave('r', a.member.peerId)).toBe(false)
    expect(rooms.join('r', 'c', 2).ok).toBe(true)
    expect(rooms.size).toBe(1)
    for (const member of rooms.members('r')) rooms.leave('r', member.peerId)
    expect(rooms.size).toBe(0)
  })
})
