import { sha256Hex } from './sha256'
import { FILE_CHUNK_BYTES, FILE_HIGH_WATER_BYTES, FILE_WINDOW_BYTES } from './transfer.limits'
import type { FileControl, FileReport } from './transfer.types'

const LOW_WATER_BYTES = 256 * 1024
// Progress is reported at most this often (in bytes), plus once at the end.
const PROGRESS_STEP_BYTES = 256 * 1024

interface Outgoing {
  transferId: string
  file: Blob
  name: string
  cancelled: boolean
  acked: number
}

/**
 * Sends files over one ordered, reliable data channel, one at a time: chunked, cancellable,
 * with a hash the receiver checks. Two brakes keep memory bounded: the channel's
 * `bufferedAmountLowThreshold` (browsers), and a window of unacknowledged bytes, because some
 * stacks (Node's libwebrtc binding among them) never report `bufferedAmount` and would take
 * the whole file into their native queue at once.
 */
export function createFileSender(channel: RTCDataChannel, report: (r: FileReport) => void) {
  channel.bufferedAmountLowThreshold = LOW_WATER_BYTES
  const queue: Outgoing[] = []
  let active: Outgoing | null = null
  let wake: (() => void) | null = null
  const control = (message: FileControl) => channel.send(JSON.stringify(message))
  const nudge = () => {
    wake?.()
    wake = null
  }
  channel.addEventListener('bufferedamountlow', nudge)
  channel.addEventListener('close', nudge)
  const nextNudge = () =>
    new Promise<void>((resolve) => {
      wake = resolve
    })

  async function transmit(item: Outgoing) {
    const { transferId, name } = item
    let bytes: ArrayBuffer
    try {
      bytes = await item.file.arrayBuffer()
    } catch {
      return report({ kind: 'failed', direction: 'send', transferId, name, reason: 'read-failed' })
    }
    const size = bytes.byteLength
    const sha256 = await sha256Hex(bytes)
    const mimeType = item.file.type
    control({ t: 'start', id: transferId, name, size, mimeType, sha256 })
    let lastReported = 0
    for (let offset = 0; offset < size; offset += FILE_CHUNK_BYTES) {
      while (
        channel.readyState === 'open' &&
        !item.cancelled &&
        (channel.bufferedAmount > FILE_HIGH_WATER_BYTES || offset - item.acked > FILE_WINDOW_BYTES)
      ) {
        await nextNudge()
      }
      if (item.cancelled) {
        if (channel.readyState === 'open') control({ t: 'cancel', id: transferId })
        return report({ kind: 'cancelled', direction: 'send', transferId, name })
      }
      if (channel.readyState !== 'open') {
        return report({
          kind: 'failed',
          direction: 'send',
          transferId,
          name,
          reason: 'channel-closed',
        })
      }
      const end = Math.min(offset + FILE_CHUNK_BYTES, size)
      channel.send(bytes.slice(offset, end))
      if (end - lastReported >= PROGRESS_STEP_BYTES || end === size) {
        lastReported = end
        report({
          kind: 'progress',
          direction: 'send',
          transferId,
          name,
          bytes: end,
          total: size,
          bufferedAmount: channel.bufferedAmount,
          inFlight: end - item.acked,
        })
      }
    }
    control({ t: 'end', id: transferId })
    report({ kind: 'sent', transferId, name, size })
  }

  async function pump() {
    if (active) return
    while (queue.length > 0) {
      active = queue.shift() ?? null
      if (active) await transmit(active)
    }
    active = null
  }

  return {
    send(transferId: string, file: Blob, name: string) {
      queue.push({ transferId, file, name, cancelled: false, acked: 0 })
      void pump()
    },
    /** Records the receiver's acknowledgement, which may let the sender go on. */
    acknowledge(transferId: string, bytes: number) {
      if (active?.transferId !== transferId || bytes <= active.acked) return
      active.acked = bytes
      nudge()
    },
    /** Cancels a queued or running transfer; true when it was this side's. */
    cancel(transferId: string): boolean {
      const item = [active, ...queue].find((candidate) => candidate?.transferId === transferId)
      if (!item) return false
      item.cancelled = true
      nudge()
      const waiting = queue.indexOf(item)
      if (waiting >= 0) {
        queue.splice(waiting, 1)
        report({ kind: 'cancelled', direction: 'send', transferId, name: item.name })
      }
      return true
    },
  }
}
