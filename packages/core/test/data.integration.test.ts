import type { SignalingServer } from '@duet/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type CallActor,
  connectCall,
  FILE_CHUNK_BYTES,
  FILE_HIGH_WATER_BYTES,
  FILE_WINDOW_BYTES,
  type FileReport,
} from '../src'
import { nodeCall, reach, startServer, until } from './support/nodePeers'

const MB = 1024 * 1024

// Pseudo-random but reproducible bytes, so a corrupted or reordered chunk changes the hash.
function patternedBlob(size: number): Blob {
  const bytes = new Uint8Array(size)
  let x = 2463534242
  for (let i = 0; i < size; i += 1) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    bytes[i] = x & 0xff
  }
  return new Blob([bytes], { type: 'application/octet-stream' })
}

describe('data between two Node peers', () => {
  let server: SignalingServer
  let url: string
  let sender: CallActor
  let receiver: CallActor

  beforeEach(async () => {
    ;({ server, url } = await startServer())
    sender = nodeCall(url, { roomId: 'files' })
    receiver = nodeCall(url, { roomId: 'files', statsIntervalMs: 200 })
    connectCall(sender.getSnapshot(), sender.send).join()
    await reach(sender, 'ready')
    connectCall(receiver.getSnapshot(), receiver.send).join()
    await Promise.all([reach(sender, 'connected'), reach(receiver, 'connected')])
  })

  afterEach(async () => {
    sender.stop()
    receiver.stop()
    await server.close()
  })

  const reports = (call: CallActor) => {
    const seen: FileReport[] = []
    call.on('file', ({ report }) => seen.push(report))
    return seen
  }

  it('should deliver a 50 MB file intact with a bounded send buffer', async () => {
    const file = patternedBlob(50 * MB)
    const sent = reports(sender)
    const received = reports(receiver)
    const transferId = connectCall(sender.getSnapshot(), sender.send).sendFile(file, {
      name: 'big.bin',
    })
    await until(() => received.some((r) => r.kind === 'received' || r.kind === 'failed'), 60_000)
    const done = received.find((r) => r.kind === 'received')
    expect(done).toMatchObject({ transferId, name: 'big.bin', size: 50 * MB })
    if (done?.kind !== 'received') throw new Error('not received')
    // Byte for byte, but not through toEqual: a deep diff of 50 MB takes minutes.
    const arrived = Buffer.from(await done.file.arrayBuffer())
    expect(arrived.equals(Buffer.from(await file.arrayBuffer()))).toBe(true)
    expect(sent.some((r) => r.kind === 'sent')).toBe(true)
    const progress = sent.filter((r) => r.kind === 'progress')
    expect(progress.length).toBeGreaterThan(10)
    for (const step of progress) {
      expect(step.bufferedAmount).toBeLessThanOrEqual(FILE_HIGH_WATER_BYTES + FILE_CHUNK_BYTES)
      expect(step.inFlight).toBeLessThanOrEqual(FILE_WINDOW_BYTES + FILE_CHUNK_BYTES)
    }
    expect(received.filter((r) => r.kind === 'progress').length).toBeGreaterThan(10)
  }, 90_000)

  it('should stop a transfer on cancel and report it on both sides', async () => {
    const sent = reports(sender)
    const received = reports(receiver)
    const api = connectCall(sender.getSnapshot(), sender.send)
    const transferId = api.sendFile(patternedBlob(20 * MB), { name: 'cancel-me.bin' })
    await until(() => received.some((r) => r.kind === 'progress'), 10_000)
    api.cancelFile(transferId)
    await until(() => received.some((r) => r.kind === 'cancelled'), 10_000)
    expect(sent).toContainEqual({
      kind: 'cancelled',
      direction: 'send',
      transferId,
      name: 'cancel-me.bin',
    })
    expect(received.some((r) => r.kind === 'received')).toBe(false)

    // The channel stays usable for the next file.
    const next = connectCall(sender.getSnapshot(), sender.send).sendFile(patternedBlob(100_000), {
      name: 'after.bin',
    })
    await until(() => received.some((r) => r.kind === 'received' && r.transferId === next), 10_000)
  }, 30_000)

  it('should sample stats with RTT, bitrates and the host candidate type', async () => {
    await until(() => {
      const stats = receiver.getSnapshot().context.peers[0]?.stats
      return Boolean(stats && stats.inboundBitrate !== null)
    }, 5000)
    const stats = receiver.getSnapshot().context.peers[0]?.stats
    expect(stats?.candidateType).toBe('host')
    expect(stats?.roundTripTimeMs).toBeGreaterThanOrEqual(0)
    expect(stats?.bytesReceived).toBeGreaterThan(0)
    expect(stats?.packetLossRatio ?? 0).toBe(0)
  })
})
