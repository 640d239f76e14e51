import type { SignalingServer } from '@duet/server'
import wrtc from '@roamhq/wrtc'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type CallActor, connectCall, type MediaDevicesLike, type Platform } from '../src'
import { nodeCall, nodePlatform, reach, startServer, until } from './support/nodePeers'

/**
 * Join pressed while the camera still starts (the permission prompt, a slow device): the join
 * leaves at once, and whatever the room says meanwhile (a newcomer's offer) waits for the call
 * to enter the room with its media, then is answered.
 */
describe('a join pressed before the camera is ready', () => {
  let server: SignalingServer
  let url: string
  const calls: CallActor[] = []
  const releases: (() => void)[] = []

  beforeEach(async () => {
    ;({ server, url } = await startServer({ maxPeersPerRoom: 3 }))
  })

  afterEach(async () => {
    for (const release of releases.splice(0)) release()
    for (const call of calls.splice(0)) call.stop()
    await server.close()
  })

  /** A microphone that starts only when the test says so. */
  function slowMicrophone(): { platform: Platform; grant: () => void; asked: () => boolean } {
    let grant = () => {}
    let asked = false
    const devices: MediaDevicesLike = {
      getUserMedia: () => {
        asked = true
        return new Promise((resolve) => {
          grant = () => {
            const source = new wrtc.nonstandard.RTCAudioSource()
            resolve(new wrtc.MediaStream([source.createTrack()]))
          }
          releases.push(grant)
        })
      },
    }
    const platform = { ...nodePlatform, MediaStream: wrtc.MediaStream, mediaDevices: devices }
    return { platform, grant: () => grant(), asked: () => asked }
  }

  const call = (options: Parameters<typeof nodeCall>[1]) => {
    const created = nodeCall(url, options)
    calls.push(created)
    return created
  }
  const join = (actor: CallActor) => connectCall(actor.getSnapshot(), actor.send).join()
  const peerCount = (actor: CallActor) => actor.getSnapshot().context.peers.length

  it('should be in the room while its camera starts, and answer an offer made meanwhile', async () => {
    const first = call({ roomId: 'early' })
    join(first)
    await reach(first, 'ready')

    const mic = slowMicrophone()
    const slow = call({ roomId: 'early', media: { audio: true }, platform: mic.platform })
    join(slow)
    await until(mic.asked, 5000, 'the microphone asked for')
    // The others see it in the room before its microphone is granted.
    await until(() => peerCount(first) === 1, 5000, 'the first call seeing the joiner')
    expect(connectCall(slow.getSnapshot(), slow.send).isAcquiringMedia).toBe(true)

    // A newcomer offers to it while it still waits for its microphone.
    const late = call({ roomId: 'early' })
    join(late)
    await until(() => peerCount(first) === 2, 5000, 'the first call seeing the newcomer')

    mic.grant()
    await Promise.all([first, slow, late].map((actor) => reach(actor, 'connected')))
    await until(
      () => [first, slow, late].every((actor) => actor.getSnapshot().context.peers.length === 2),
      5000,
      'a full mesh',
    )
    for (const actor of [first, slow, late]) {
      expect(actor.getSnapshot().context.peers.map((peer) => peer.status)).toEqual([
        'connected',
        'connected',
      ])
    }
    const heard = new Promise((resolve) => late.on('message', ({ data }) => resolve(data)))
    connectCall(slow.getSnapshot(), slow.send).send('granted at last', undefined)
    expect(await heard).toBe('granted at last')
  })

  it('should fail with the room full when the early join was refused', async () => {
    const { server: small, url: smallUrl } = await startServer({ maxPeersPerRoom: 2 })
    try {
      const taken = [nodeCall(smallUrl, { roomId: 'full' }), nodeCall(smallUrl, { roomId: 'full' })]
      calls.push(...taken)
      for (const actor of taken) join(actor)
      await Promise.all(taken.map((actor) => reach(actor, 'connected')))
      const mic = slowMicrophone()
      const third = nodeCall(smallUrl, {
        roomId: 'full',
        media: { audio: true },
        platform: mic.platform,
      })
      calls.push(third)
      join(third)
      await until(mic.asked, 5000, 'the microphone asked for')
      mic.grant()
      await reach(third, 'failed')
      expect(third.getSnapshot().context.error).toMatchObject({ code: 'ROOM_FULL' })
    } finally {
      await small.close()
    }
  })
})
