import { isErrorCode } from '@duet/core/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type Client, raw, useHarness } from './harness'
import { callInProgress } from './support/callInProgress'
import { countOf } from './support/metricValue'

// Bounded and reproducible: a failure prints its seed and path; rerun with them to shrink it.
const RUNS = { numRuns: 300, seed: 20_240_601, interruptAfterTimeLimit: 15_000 } as const

const EVENTS = ['room:join', 'room:leave', 'signal:send', 'ice:refresh'] as const
// socket.io-client refuses to emit these itself; the raw-frame property sends them anyway.
const CLIENT_RESERVED = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
])

const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'roomId',
  'resume',
  'peerId',
  'token',
  'to',
  'signal',
  'type',
  'sdp',
  'candidate',
)

/** Any JSON-ish value, with the keys validators look at (and prototype keys) over-represented. */
const { value: anyValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      null,
      true,
      false,
      0,
      -1,
      1e308,
      Number.NaN,
      '',
      'offer',
      'answer',
      'candidate',
      'lobby',
    ),
    fc.string({ maxLength: 40 }),
    fc.integer(),
    fc.double(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 10 })), tie('value'), { maxKeys: 5 }),
  ),
}))

/** Payloads shaped like the real ones, with each field possibly wrong. */
const nearlyValid = fc.oneof(
  fc.record(
    {
      roomId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), anyValue),
      resume: fc.oneof(
        anyValue,
        fc.record({ peerId: fc.oneof(fc.uuid(), anyValue), token: anyValue }),
      ),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      to: fc.oneof(fc.uuid(), anyValue),
      signal: fc.oneof(
        anyValue,
        fc.record({
          type: fc.constantFrom('offer', 'answer'),
          sdp: fc.oneof(fc.string(), anyValue),
        }),
        fc.record({
          type: fc.constant('candidate'),
          candidate: fc.oneof(
            fc.constant(null),
            anyValue,
            fc.record(
              {
                candidate: anyValue,
                sdpMid: anyValue,
                sdpMLineIndex: anyValue,
                usernameFragment: anyValue,
              },
              { requiredKeys: [] },
            ),
          ),
        }),
      ),
    },
    { requiredKeys: [] },
  ),
)

/** Hostile extremes: deep nesting, huge strings, binary attachments. */
const extreme = fc.oneof(
  fc.integer({ min: 1, max: 3000 }).map((depth) => {
    let nested: unknown = 'bottom'
    for (let i = 0; i < depth; i++) nested = i % 2 ? [nested] : { roomId: nested }
    return nested
  }),
  fc
    .integer({ min: 1000, max: 60_000 })
    .map((length) => ({ roomId: 'x'.repeat(length), to: 'y'.repeat(length) })),
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => ({
    to: Buffer.from(bytes),
    signal: { type: 'offer', sdp: Buffer.from(bytes) },
  })),
)

const eventName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...EVENTS) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'room:destroy',
      'peer:joined',
      'signal:receive',
      'server:draining',
      'error',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.string({ maxLength: 20 }).filter((name) => !CLIENT_RESERVED.has(name)),
  },
)

/** A well-formed ack: success, or a known error code with a message and no stack trace. */
function expectWellFormedAck(result: unknown): void {
  expect(result).toBeTypeOf('object')
  const ack = result as { ok?: unknown; error?: { code?: unknown; message?: unknown } }
  if (ack.ok === true) return
  expect(ack.ok).toBe(false)
  expect(isErrorCode(ack.error?.code)).toBe(true)
  expect(ack.error?.message).toBeTypeOf('string')
  expect(String(ack.error?.message)).not.toMatch(/\n\s+at |node_modules|\.ts:\d/)
}

/** A raw WebSocket speaking engine.io v4 framing, for packets no client library would send. */
class RawSocket {
  readonly frames: (string | Buffer)[] = []
  readonly ws: WebSocket
  #waiters: (() => void)[] = []

  constructor(url: string) {
    this.ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`)
    this.ws.on('message', (data, isBinary) => {
      this.frames.push(isBinary ? (data as Buffer) : data.toString())
      for (const wake of this.#waiters.splice(0)) wake()
    })
    this.ws.on('close', () => {
      for (const wake of this.#waiters.splice(0)) wake()
    })
    this.ws.on('error', () => {})
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN
  }

  /** Waits for a text frame matching `test`, or resolves undefined on close or timeout. */
  async next(test: (frame: string) => boolean, timeoutMs = 2000): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.frames.find(
        (frame): frame is string => typeof frame === 'string' && test(frame),
      )
      if (found !== undefined) return found
      if (this.ws.readyState >= WebSocket.CLOSING || Date.now() > deadline) return undefined
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()))
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  /** Engine.io open, then a socket.io CONNECT to the main namespace. */
  async handshake(): Promise<void> {
    if (!(await this.next((frame) => frame.startsWith('0{'))))
      throw new Error('no engine.io open packet')
    this.ws.send('40')
    if (!(await this.next((frame) => frame.startsWith('40{'))))
      throw new Error('no socket.io connect')
  }

  send(frame: string | Buffer): void {
    if (this.open) this.ws.send(frame)
  }

  close(): void {
    this.ws.terminate()
  }
}

/** Raw frames: garbage, truncated packets, attachment claims, wrong namespaces, odd types. */
const rawFrames = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ maxLength: 100 }).map((rest) => `4${rest}`),
  fc.json({ maxDepth: 3 }).map((json) => `42${json}`),
  fc
    .tuple(fc.constantFrom(...EVENTS, 'nope'), fc.json({ maxDepth: 3 }), fc.nat(300))
    .map(([event, json, cut]) => `42["${event}",${json}]`.slice(0, cut)),
  fc
    .tuple(fc.nat(5), fc.constantFrom(...EVENTS), fc.option(fc.nat(99)))
    .map(
      ([count, event, id]) =>
        `45${count}-${id ?? ''}["${event}",{"_placeholder":true,"num":${count}}]`,
    ),
  fc.constantFrom(
    '40/admin,',
    '42/admin,["room:join",{"roomId":"lobby"}]',
    '41/nope,',
    '43["stray ack"]',
    '431[{"ok":true}]',
    '44{"message":"client error"}',
    '46-["x"]',
    '2probe',
    '3',
    '5',
    '6',
    '9',
    '1',
    '42["connect"]',
    '42["disconnect"]',
    '42[]',
    '42[1,2,3]',
    '42{"0":"room:join"}',
    '42["room:join",{"roomId":"a"},"extra",{"__proto__":{"polluted":true}}]',
  ),
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
)

describe('fuzzing', () => {
  const { start, connect, joined } = useHarness()

  it('should answer every event with arbitrary payloads, with or without an ack, and keep a call in another room going', async () => {
    const { server, url } = await start({ rateLimit: false })
    const a = await joined(url, 'call')
    const b = await joined(url, 'call')
    const call = callInProgress(b.client, a.client, a.join.peerId)
    let fuzzer: Client = await connect(url)
    let acked = 0
    try {
      await fc.assert(
        fc.asyncProperty(
          eventName,
          fc.array(
            fc.oneof(
              { weight: 3, arbitrary: nearlyValid },
              { weight: 3, arbitrary: anyValue },
              { weight: 1, arbitrary: extreme },
            ),
            { maxLength: 3 },
          ),
          fc.boolean(),
          async (event, args, withAck) => {
            if (!fuzzer.connected) fuzzer = await connect(url)
            if (!withAck) {
              raw(fuzzer).emit(event, ...args)
              return
            }
            const result = await raw(fuzzer)
              .timeout(2000)
              .emitWithAck(event, ...args)
            expectWellFormedAck(result)
            acked += 1
          },
        ),
        RUNS,
      )
    } finally {
      await call.stop()
    }
    call.check()
    expect(acked).toBeGreaterThan(50)
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    expect(await countOf(server.metrics.unknownEvents)).toBeGreaterThan(0)
  }, 60_000)

  it('should survive malformed raw engine.io and socket.io frames, answer the well-formed ones, and keep a call going', async () => {
    // The default rate limit stays on here: the call relays at a real call's pace, under it.
    const { url } = await start()
    const a = await joined(url, 'call')
    const b = await joined(url, 'call')
    const call = callInProgress(b.client, a.client, a.join.peerId, 60)
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(rawFrames, { minLength: 1, maxLength: 3 }),
          fc.constantFrom(...EVENTS, 'unknown:event'),
          fc.oneof(anyValue, nearlyValid),
          async (frames, event, payload) => {
            const socket = new RawSocket(url)
            try {
              await socket.handshake()
              // A well-formed request with an ack id first: it must get a well-formed answer.
              socket.send(`4277${JSON.stringify([event, payload])}`)
              const answer = await socket.next((frame) => frame.startsWith('4377['))
              expect(answer).toBeDefined()
              expectWellFormedAck(JSON.parse(answer!.slice(4))[0])
              for (const frame of frames) socket.send(frame)
              // Whatever the frames did, the connection either still answers or was closed.
              socket.send('4278["signal:send",null]')
              await socket.next((frame) => frame.startsWith('4378['), 500)
            } finally {
              socket.close()
            }
          },
        ),
        RUNS,
      )
    } finally {
      await call.stop()
    }
    call.check()
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    const after = await joined(url, 'after-the-storm')
    expect(after.join.peers).toEqual([])
  }, 60_000)
})
