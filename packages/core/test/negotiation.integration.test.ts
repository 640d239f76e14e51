import type { SignalingServer } from '@duet/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type CallActor, connectCall, createSocketSignaling, type SignalingTransport } from '../src'
import { countingPlatform, nodeCall, reach, startServer, until } from './support/nodePeers'

/**
 * A real Socket.io transport whose incoming offers and answers are held back, so the peer's
 * candidates overtake them — what a congested or reordering relay does.
 */
function reorderingSignaling(url: string, holdMs: number, log: string[]): () => SignalingTransport {
  return () => {
    const transport = createSocketSignaling(url)
    return {
      ...transport,
      subscribe(listener) {
        return transport.subscribe((notice) => {
          if (notice.type !== 'signal') return listener(notice)
          if (notice.signal.type === 'candidate') {
            log.push('candidate')
            return listener(notice)
          }
          setTimeout(() => {
            log.push(notice.signal.type)
            listener(notice)
          }, holdMs)
        })
      },
    }
  }
}

describe('negotiation scenarios over real Node peers and a real server', () => {
  let server: SignalingServer
  let url: string
  const calls: CallActor[] = []
  const call = (options: Parameters<typeof nodeCall>[1]) => {
    const created = nodeCall(url, options)
    calls.push(created)
    return created
  }
  const join = (actor: CallActor) => connectCall(actor.getSnapshot(), actor.send).join()

  beforeEach(async () => {
    ;({ server, url } = await startServer())
  })

  afterEach(async () => {
    for (const actor of calls.splice(0)) actor.stop()
    await server.close()
  })

  it('should hold candidates that arrive before their description and still connect', async () => {
    const log: string[] = []
    const incumbent = call({ roomId: 'late', signaling: reorderingSignaling(url, 150, log) })
    join(incumbent)
    await reach(incumbent, 'ready')
    const joiner = call({ roomId: 'late' })
    join(joiner)
    await Promise.all([reach(incumbent, 'connected'), reach(joiner, 'connected')])
    // The offer was overtaken: candidates were delivered to the incumbent before it.
    expect(log.indexOf('candidate')).toBeGreaterThanOrEqual(0)
    expect(log.indexOf('candidate')).toBeLessThan(log.indexOf('offer'))
    const echo = new Promise((resolve) => incumbent.on('message', ({ data }) => resolve(data)))
    connectCall(joiner.getSnapshot(), joiner.send).send('after reordering')
    expect(await echo).toBe('after reordering')
  })

  it('should recover when a peer leaves mid-negotiation and let the next one connect', async () => {
    const counted = countingPlatform()
    const incumbent = call({ roomId: 'mid', platform: counted.platform })
    join(incumbent)
    await reach(incumbent, 'ready')
    const quitter = call({ roomId: 'mid' })
    join(quitter)
    // Leave as soon as the negotiation has started, before it could finish.
    await until(() => incumbent.getSnapshot().context.peers.length === 1, 5000)
    const negotiating = counted.live()
    expect(negotiating).toHaveLength(1)
    connectCall(quitter.getSnapshot(), quitter.send).hangUp()
    await until(() => incumbent.getSnapshot().context.peers.length === 0, 5000)
    expect(connectCall(incumbent.getSnapshot(), incumbent.send).status).toBe('ready')
    // The half-negotiated connection is closed; a fresh spare waits to answer the next peer.
    expect(negotiating[0]?.signalingState).toBe('closed')
    expect(counted.live()).toHaveLength(1)

    const next = call({ roomId: 'mid' })
    join(next)
    await Promise.all([reach(incumbent, 'connected'), reach(next, 'connected')])
    expect(counted.open()).toBe(1)
  })

  it('should connect again when the other peer leaves and rejoins the room', async () => {
    const incumbent = call({ roomId: 'again' })
    join(incumbent)
    await reach(incumbent, 'ready')
    for (let round = 0; round < 3; round += 1) {
      const visitor = call({ roomId: 'again' })
      join(visitor)
      await Promise.all([reach(incumbent, 'connected'), reach(visitor, 'connected')])
      const echo = new Promise((resolve) => visitor.on('message', ({ data }) => resolve(data)))
      connectCall(incumbent.getSnapshot(), incumbent.send).send(`round ${round}`)
      expect(await echo).toBe(`round ${round}`)
      connectCall(visitor.getSnapshot(), visitor.send).hangUp()
      await reach(incumbent, 'ready')
    }
    expect(incumbent.getSnapshot().context.peers).toEqual([])
  })
})
