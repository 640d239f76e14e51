// A load generator process: thousands of signaling clients speaking each target's wire protocol
// directly over `ws` (Socket.io's engine.io v4 framing, or PeerJS's JSON), so the generator
// stays light and the server, not the client library, is what gets measured. Driven by the bench
// over IPC: connect → relay (repeatable) → close.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import WebSocket from 'ws'
import { summarize } from '../lib/stats.mjs'

const JOIN_TIMEOUT_MS = 20_000
// PeerJS clients send a heartbeat every 5 s (its `pingInterval`); the server drops silent ones.
const PEERJS_HEARTBEAT_MS = 5000
// An ICE candidate line of typical length; ` ts=` carries the send time for the receiver.
const BASE_CANDIDATE = 'candidate:3829416396 1 udp 2122260223 127.0.0.1 54321 typ host generation 0'
// Set by `relay`: the candidate padded so that each relay frame is about `frameBytes` long
// (a deployment's relays are offers, answers and candidates with all their attributes, not
// bare host candidates: the independent harness used ~700 B).
let CANDIDATE = BASE_CANDIDATE

/** @type {Client[]} every client, pairs side by side: 2p and 2p+1 share room p */
const clients = []
let latencies = null
let received = 0
let ackErrors = 0

/** Parses ` ts=<send time>` out of a relayed message and records the one-way latency. */
function onRelayed(text) {
  const at = text.indexOf(' ts=')
  if (at < 0 || !latencies) return
  const sentAt = Number.parseFloat(text.slice(at + 4))
  if (received < latencies.length) latencies[received] = performance.now() - sentAt
  received++
}

function open(url) {
  const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: JOIN_TIMEOUT_MS })
  ws.on('error', () => {})
  return ws
}

/** A Socket.io client over a raw WebSocket (engine.io v4 / socket.io v5 framing). */
class SocketIoClient {
  constructor(base) {
    this.ws = open(`${base.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`)
    this.nextAck = 0
    this.waiting = new Map()
    this.events = new Map()
    this.ready = new Promise((resolve, reject) => {
      this.ws.once('close', () => reject(new Error('closed')))
      this.ws.once('error', reject)
      this.events.set('#connect', resolve)
    })
    this.ws.on('message', (data) => this.onFrame(data.toString()))
  }
  onFrame(text) {
    if (text === '2') return this.ws.send('3') // ping → pong
    if (text[0] === '0') return this.ws.send('40') // engine open → namespace connect
    if (text[0] !== '4') return
    const type = text[1]
    if (type === '0') return this.events.get('#connect')?.()
    if (type === '2') {
      if (text.includes(' ts=')) return onRelayed(text)
      const [name, ...args] = JSON.parse(text.slice(text.indexOf('[')))
      return this.events.get(name)?.(...args)
    }
    if (type === '3') {
      const bracket = text.indexOf('[')
      const id = Number(text.slice(2, bracket))
      const waiter = this.waiting.get(id)
      if (waiter) {
        this.waiting.delete(id)
        return waiter(JSON.parse(text.slice(bracket))[0])
      }
      if (text.includes('"ok":false')) ackErrors++
    }
  }
  /** The Socket.io EVENT packet (with an ack id when `withAck`) as it goes on the wire. */
  frame(name, payload, withAck = false) {
    return `42${withAck ? ++this.nextAck : ''}${JSON.stringify([name, payload])}`
  }
  emit(name, payload, withAck = false) {
    const id = withAck ? this.nextAck + 1 : ''
    this.ws.send(this.frame(name, payload, withAck))
    return id
  }
  request(name, payload) {
    return new Promise((resolve) => this.waiting.set(this.emit(name, payload, true), resolve))
  }
  once(name) {
    return new Promise((resolve) => this.events.set(name, resolve))
  }
}

function relayMessageFrame(client, ts, withAck) {
  const message = { type: 'candidate', label: 0, id: '0', candidate: `${CANDIDATE} ts=${ts}` }
  return client.frame('message', message, withAck)
}

/**
 * How each target is joined and what a relay frame is, per wire protocol. A frame is built
 * the way each real client builds it (JSON of the message), with an ack asked where the
 * real client asks for one (Duet's `signal:send`).
 */
const PROTOCOLS = {
  // @duet/server: `room:join` with an ack carrying the peer ids, `signal:send` acked.
  duet: {
    async pair(urlA, urlB, room) {
      const a = new SocketIoClient(urlA)
      await a.ready
      const joinedA = await a.request('room:join', { roomId: room })
      const b = new SocketIoClient(urlB)
      await b.ready
      const joinedB = await b.request('room:join', { roomId: room })
      if (!joinedA.ok || !joinedB.ok)
        throw new Error(JSON.stringify(joinedB.error ?? joinedA.error))
      a.peer = joinedB.peerId
      b.peer = joinedA.peerId
      return [a, b]
    },
    frame(client, ts) {
      return client.frame(
        'signal:send',
        {
          to: client.peer,
          signal: {
            type: 'candidate',
            candidate: {
              candidate: `${CANDIDATE} ts=${ts}`,
              sdpMid: '0',
              sdpMLineIndex: 0,
              usernameFragment: 'Ab3d',
            },
          },
        },
        true,
      )
    },
  },
  // The bare relay: "create or join", then fire-and-forget "message" to the room.
  relay: {
    async pair(urlA, urlB, room) {
      const a = new SocketIoClient(urlA)
      await a.ready
      const createdA = Promise.race([a.once('created'), a.once('joined')])
      a.emit('create or join', room)
      await createdA
      const b = new SocketIoClient(urlB)
      await b.ready
      // Over two nodes each node only counts its own sockets, so B may be "created" too: the
      // relay through the adapter works all the same.
      const joinedB = Promise.race([b.once('joined'), b.once('created')])
      b.emit('create or join', room)
      await joinedB
      return [a, b]
    },
    frame(client, ts) {
      return relayMessageFrame(client, ts, false)
    },
  },
  // The bare relay asked for an ack on every message, as Duet's protocol does.
  relayAcked: {
    pair: (...args) => PROTOCOLS.relay.pair(...args),
    frame(client, ts) {
      return relayMessageFrame(client, ts, true)
    },
  },
  // PeerJS: ids chosen by the client, `OPEN` once registered, JSON messages with `dst`.
  peerjs: {
    async pair(urlA, urlB, room) {
      const connect = async (url, id) => {
        const ws = open(
          `${url.replace('http', 'ws')}/peerjs?key=peerjs&id=${id}&token=t${id}&version=1.5.5`,
        )
        await new Promise((resolve, reject) => {
          ws.once('close', () => reject(new Error('closed')))
          ws.once('error', reject)
          ws.once('message', (data) =>
            String(data).includes('"OPEN"') ? resolve() : reject(new Error(String(data))),
          )
        })
        ws.on('message', (data) => onRelayed(data.toString()))
        const heartbeat = setTimeout(function beat() {
          if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"HEARTBEAT"}')
          heartbeat.refresh()
        }, Math.random() * PEERJS_HEARTBEAT_MS)
        heartbeat.unref()
        ws.once('close', () => clearTimeout(heartbeat))
        return { ws, id }
      }
      const a = await connect(urlA, `${room}a`)
      const b = await connect(urlB, `${room}b`)
      a.peer = b.id
      b.peer = a.id
      return [a, b]
    },
    frame(client, ts) {
      return JSON.stringify({
        type: 'CANDIDATE',
        dst: client.peer,
        payload: {
          candidate: { candidate: `${CANDIDATE} ts=${ts}`, sdpMLineIndex: 0, sdpMid: '0' },
          type: 'media',
          connectionId: 'mc_bench0000000000',
        },
      })
    },
  },
}

function withTimeout(promise, ms) {
  let timer
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

let protocol = null

/**
 * Connects `count` clients (count/2 rooms), `concurrency` rooms at a time; no new room is
 * started after `deadlineMs`, so a server that slows down as it fills cannot stall the bench.
 */
async function connect({
  target,
  urls,
  count,
  offset = 0,
  concurrency = 100,
  deadlineMs = 120_000,
}) {
  protocol = PROTOCOLS[target]
  const started = performance.now()
  let next = 0
  let failed = 0
  let firstError = null
  const pairs = Math.floor(count / 2)
  async function worker() {
    while (next < pairs && performance.now() - started < deadlineMs) {
      const p = next++
      const room = `r${offset + p}`
      // Over two nodes, the two ends of every pair sit on different nodes.
      const pending = protocol.pair(urls[0], urls[1 % urls.length], room)
      try {
        clients.push(...(await withTimeout(pending, JOIN_TIMEOUT_MS)))
      } catch (error) {
        failed += 2
        firstError ??= String(error?.message ?? error)
        pending.then(
          (late) => {
            for (const client of late) client.ws.terminate()
          },
          () => {},
        )
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const skipped = (pairs - next) * 2
  if (skipped > 0) firstError ??= `deadline: ${skipped} sockets not tried`
  return { connected: openCount(), failed, firstError, ms: performance.now() - started }
}

const openCount = () => clients.filter((c) => c.ws.readyState === WebSocket.OPEN).length

const PADDING = ' network-id 1 network-cost 10 ufrag Ab3d'.repeat(30)

/**
 * Pads the relayed candidate so that one relay frame of the current protocol is about
 * `frameBytes` long on the wire; returns that length, measured on a frame built for real.
 */
function padCandidate(frameBytes) {
  CANDIDATE = BASE_CANDIDATE
  const probe = () => Buffer.byteLength(protocol.frame(clients[0], 12345.678))
  const room = frameBytes - probe()
  if (room > 0) CANDIDATE = `${BASE_CANDIDATE}${PADDING.slice(0, room)}`
  return probe()
}

/**
 * Sends `rate` relays per second for `seconds`, open loop (paced by the clock, never waiting
 * for an answer), over all pairs in turn (alternating direction), then waits for stragglers.
 * With `keep`, returns every one-way latency (the bench merges generators before taking
 * percentiles); a warm-up asks without.
 */
async function relay({ rate, seconds, frameBytes = 700, keep = true }) {
  const wireBytes = padCandidate(frameBytes)
  const total = Math.round(rate * seconds)
  latencies = new Float64Array(total)
  received = 0
  ackErrors = 0
  const gcPauses = []
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push(entry.duration)
  })
  gcObserver.observe({ entryTypes: ['gc'] })
  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()
  const pairs = Math.floor(clients.length / 2)
  const started = performance.now()
  let sent = 0
  await new Promise((resolve) => {
    // A 1 ms tick sends whatever is due by the clock: the rate holds (and is spread evenly,
    // not in bursts) even when a tick is late.
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate))
      for (; sent < due; sent++) {
        const pair = sent % pairs
        const side = Math.floor(sent / pairs) % 2
        const client = clients[2 * pair + side]
        if (client.ws.readyState === WebSocket.OPEN) {
          client.ws.send(protocol.frame(client, performance.now()))
        }
      }
      if (sent >= total) {
        clearInterval(timer)
        resolve()
      }
    }, 1)
  })
  const sendSeconds = (performance.now() - started) / 1000
  const deadline = performance.now() + 5000
  while (received < sent && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  loop.disable()
  gcObserver.disconnect()
  const kept = latencies.subarray(0, Math.min(received, latencies.length))
  const result = {
    sent,
    received,
    lost: sent - received,
    ackErrors,
    achievedRate: sent / sendSeconds,
    frameBytes: wireBytes,
    latency: summarize(kept),
    latencies: keep ? Array.from(kept) : undefined,
    generator: {
      loopDelayP99Ms: loop.percentile(99) / 1e6,
      loopDelayMaxMs: loop.max / 1e6,
      maxGcPauseMs: Math.max(0, ...gcPauses),
    },
    open: openCount(),
  }
  latencies = null
  return result
}

const handlers = {
  connect,
  relay,
  count: async () => ({ open: openCount() }),
  close: async () => {
    for (const client of clients.splice(0)) client.ws.terminate()
    return {}
  },
}

process.on('message', async (message) => {
  try {
    process.send({ id: message.id, ...(await handlers[message.type](message)) })
  } catch (error) {
    process.send({ id: message.id, error: String(error?.stack ?? error) })
  }
})
process.send({ ready: true })
