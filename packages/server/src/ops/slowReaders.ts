import type { SignalingIo } from '../serverTypes'
import type { Logger } from './logger'
import type { ServerMetrics } from './serverMetrics'

/** The parts of an engine.io connection that tell how much is waiting to be sent. */
interface BufferedConnection {
  /** Packets queued while the transport waits for its last write to go out. */
  writeBuffer?: readonly { data?: unknown }[]
  /** The WebSocket, whose own buffer holds what the kernel did not take yet. */
  transport?: { socket?: { bufferedAmount?: number; terminate?(): void } }
  /** Closes the connection; `discard` drops what is queued instead of waiting to send it. */
  close(discard?: boolean): void
}

// A reader that stops reading stalls the transport's write: the kernel's buffer fills, ws holds
// one batch, and engine.io queues every later packet in the connection's write buffer.
function waitingBytes(connection: BufferedConnection): number {
  let bytes = connection.transport?.socket?.bufferedAmount ?? 0
  for (const packet of connection.writeBuffer ?? []) {
    if (typeof packet.data === 'string') bytes += packet.data.length
    else if (packet.data instanceof Uint8Array) bytes += packet.data.byteLength
  }
  return bytes
}

const CHECK_MS = 500

/**
 * Cuts the transport of every socket that has more than `maxBytes` waiting to be written to it:
 * a client that stops reading would otherwise make the server buffer every relay sent to it.
 * The cut is a forced close, so the peer is away as after any dropped connection: relays to it
 * are kept within the mailbox budget, and it gets them when it resumes. Returns a stop function.
 */
export function startSlowReaderCheck(
  io: SignalingIo,
  maxBytes: number,
  metrics: ServerMetrics,
  logger: Logger,
): () => void {
  const timer = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      const connection = socket.conn as unknown as BufferedConnection
      const waiting = waitingBytes(connection)
      if (waiting <= maxBytes) continue
      metrics.limited.inc({ limit: 'slow-reader' })
      logger.warn('slow reader cut', { waiting, membership: socket.data.membership })
      // Discarded, not flushed: waiting for a reader that does not read is the problem. The
      // WebSocket is terminated too, or its graceful close would keep the buffer for 30 s.
      connection.close(true)
      connection.transport?.socket?.terminate?.()
    }
  }, CHECK_MS)
  timer.unref()
  return () => clearInterval(timer)
}
