import type { EngineOptions, Pipe, PipeEvents } from './socketio.types'

// Engine.IO v4 joins the packets of one HTTP body with the record separator.
const RECORD_SEPARATOR = '\x1e'

const utf8 = new TextEncoder()

let requests = 0
/** A query value that differs on every request, so no cache answers a poll. */
const cacheBuster = () => `${Date.now().toString(36)}${(requests++).toString(36)}`

/** How many packets from the front of `queue` one body may carry (always at least one). */
function fittingCount(queue: string[], maxPayload: number) {
  let bytes = 0
  for (let count = 0; count < queue.length; count++) {
    bytes += utf8.encode(queue[count]).length + 1
    if (count > 0 && bytes > maxPayload) return count
  }
  return queue.length
}

/**
 * Engine.IO long polling over `fetch`: a GET waits for the server's packets, a POST carries
 * ours. For networks and servers that refuse WebSocket, and runtimes without one.
 */
export function openPolling(url: URL, options: EngineOptions, events: PipeEvents): Pipe {
  const aborter = new AbortController()
  const credentials: RequestCredentials = options.withCredentials ? 'include' : 'same-origin'
  let sid: string | undefined
  // The server refuses a body over its buffer limit (it says how much in the handshake).
  let maxPayload = Number.POSITIVE_INFINITY
  let ended = false
  const queue: string[] = []
  let posting = false

  const endpoint = () => {
    const request = new URL(url)
    request.searchParams.set('transport', 'polling')
    request.searchParams.set('t', cacheBuster())
    if (sid) request.searchParams.set('sid', sid)
    return request
  }
  const exchange = async (init: RequestInit) => {
    const response = await fetch(endpoint(), { ...init, credentials, signal: aborter.signal })
    const body = await response.text()
    if (!response.ok) throw new Error(`polling answered ${response.status}`)
    return body
  }
  const end = (reason: string) => {
    if (ended) return
    ended = true
    aborter.abort()
    events.ended(reason)
  }

  const poll = async () => {
    while (!ended) {
      let packets: string[]
      try {
        packets = (await exchange({})).split(RECORD_SEPARATOR)
      } catch {
        return end('transport error')
      }
      if (ended) return
      try {
        events.packets(packets)
      } catch (error) {
        // A listener's error is the app's to see, as from a WebSocket's: the poll goes on.
        setTimeout(() => {
          throw error
        })
      }
    }
  }
  const flush = async () => {
    if (posting || ended || queue.length === 0) return
    posting = true
    const body = queue.splice(0, fittingCount(queue, maxPayload)).join(RECORD_SEPARATOR)
    try {
      await exchange({
        method: 'POST',
        body,
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
      })
    } catch {
      return end('transport error')
    } finally {
      posting = false
    }
    void flush()
  }
  void poll()

  return {
    send(packets) {
      queue.push(...packets)
      void flush()
    },
    // Called while the first poll's packets are handed over: the next poll carries the sid.
    opened(handshake) {
      sid = handshake.sid
      maxPayload = handshake.maxPayload ?? maxPayload
    },
    close() {
      if (ended) return
      ended = true
      aborter.abort()
      // Tells the server at once rather than at its ping timeout; outlives a closing page.
      if (sid) {
        fetch(endpoint(), { method: 'POST', body: '1', credentials, keepalive: true }).catch(
          () => {},
        )
      }
    },
  }
}
