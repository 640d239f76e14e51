import type { JoinSuccess, Signal } from '@duet/core/protocol'
import { describe, expect, it } from 'vitest'
import { eventsOf, flush, useHarness } from './harness'

const candidate = (index: number): Signal => ({
  type: 'candidate',
  candidate: {
    candidate: `candidate:${index} 1 udp 1 127.0.0.1 ${9000 + index} typ host`,
    sdpMid: '0',
    sdpMLineIndex: 0,
  },
})

/**
 * The server empties each batch of packets once its transport has taken it (so a sent relay
 * does not linger in old space): a burst must still arrive whole and in order, over WebSocket
 * and over long polling, where packets wait in batches for the next poll.
 */
describe('relays sent in a burst', () => {
  const { start, connect } = useHarness()

  it.each([['websocket'], ['polling']] as const)(
    'should reach a %s receiver complete and in order',
    async (transport) => {
      const { url } = await start({ rateLimit: false })
      const receiver = await connect(url, { transports: [transport] })
      const sender = await connect(url)
      const receiverJoin = (await receiver.emitWithAck('room:join', {
        roomId: 'burst',
      })) as JoinSuccess
      await sender.emitWithAck('room:join', { roomId: 'burst' })
      const count = 200
      const acks = Array.from({ length: count }, (_, index) =>
        sender.emitWithAck('signal:send', { to: receiverJoin.peerId, signal: candidate(index) }),
      )
      expect(await Promise.all(acks)).toEqual(Array(count).fill({ ok: true }))
      await flush(receiver)
      const signals = eventsOf(receiver, 'signal:receive').map(
        (payload) => (payload as { signal: Signal }).signal,
      )
      expect(signals).toEqual(Array.from({ length: count }, (_, index) => candidate(index)))
    },
  )
})
