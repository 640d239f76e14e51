import { describe, expect, it } from 'vitest'
import { signHs256 } from '../../src/auth/jwt'
import {
  closeAll,
  connected,
  type HostileClient,
  MAX_OFFER,
  open,
  pairIn,
  send,
} from './support/clients'
import { replay } from './support/scenario'
import { expectWhole, sleep } from './support/waiting'

/** Runs `task` for every item, at most `width` at a time. */
async function inWaves<T, R>(items: T[], width: number, task: (item: T) => Promise<R>) {
  const results: R[] = []
  for (let i = 0; i < items.length; i += width) {
    results.push(...(await Promise.all(items.slice(i, i + width).map(task))))
  }
  return results
}

/** Keeps calling `task` until `ms` have passed. */
async function forMs(ms: number, task: () => Promise<unknown>): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) await task()
}

describe('hostile load: floods', () => {
  // fix #13 (finding 4): one address opened 300 sockets and 300 rooms, and 100 sockets had
  // 4000 requests accepted in 1.5 s; limits were per socket only.
  it('should cap one address: connections, joins and requests, with typed refusals', async () => {
    const attacker = '203.0.113.9'
    const clients: HostileClient[] = []
    let opened = 0
    let joins = 0
    let accepted = 0
    let requestSeconds = 0
    let handshake: { status: number; body: string } | undefined
    const outcome = await replay({
      name: 'Connection, room and request flood from one address',
      size: '300 sockets, a room each, 40 requests each',
      run: async (url) => {
        const attempts = await Promise.all(Array.from({ length: 300 }, () => open(url, attacker)))
        for (const { client, refused } of attempts) if (refused === undefined) clients.push(client)
        opened = clients.length
        // What a refused handshake says, read as plain HTTP.
        const response = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
          headers: { 'x-forwarded-for': attacker },
        })
        handshake = { status: response.status, body: await response.text() }
        const joined = await Promise.all(
          clients.map((client, i) =>
            client
              .timeout(10_000)
              .emitWithAck('room:join', { roomId: `flood-${i}` })
              .then((result) => result.ok),
          ),
        )
        joins = joined.filter(Boolean).length
        const started = performance.now()
        const answers = await Promise.all(
          clients.flatMap((client) =>
            Array.from({ length: 40 }, (_, n) =>
              send(client, 'nobody', { type: 'offer', sdp: `v=${n}` }),
            ),
          ),
        )
        requestSeconds = (performance.now() - started) / 1000
        accepted = answers.filter((answer) => answer !== 'RATE_LIMITED').length
        closeAll(clients)
      },
    })
    expect(outcome.alive).toBe(true)
    expect(opened).toBeLessThanOrEqual(64)
    expect(handshake?.status).toBe(403)
    expect(handshake?.body).toContain('TOO_MANY_CONNECTIONS')
    // A burst of 50 joins, then 10 a second.
    expect(joins).toBeLessThanOrEqual(50 + 10 * 2)
    // A burst of 400 requests, then 200 a second, for all its sockets together.
    expect(accepted).toBeLessThanOrEqual(400 + 200 * (requestSeconds + 0.5))
    expectWhole(outcome.calls)
  })

  it('should hold a join flood across many rooms from many addresses', async () => {
    const answers: Record<string, number> = {}
    const outcome = await replay({
      name: 'Join flood across many rooms',
      size: '10 addresses × 20 sockets, join and leave for 3 s',
      run: async (url) => {
        const sockets = await Promise.all(
          Array.from({ length: 200 }, (_, i) => connected(url, `203.0.113.${100 + (i % 10)}`)),
        )
        await Promise.all(
          sockets.map(async (client, i) => {
            let n = 0
            await forMs(3000, async () => {
              const result = await client
                .timeout(10_000)
                .emitWithAck('room:join', { roomId: `many-${i}-${n++}` })
              const answer = result.ok ? 'ok' : result.error.code
              answers[answer] = (answers[answer] ?? 0) + 1
              if (result.ok) await client.timeout(10_000).emitWithAck('room:leave')
              else await sleep(50)
            })
          }),
        )
        closeAll(sockets)
      },
    })
    expect(outcome.alive).toBe(true)
    // Each address: a burst of 50 joins and 10 a second.
    expect(answers.ok ?? 0).toBeLessThanOrEqual(10 * (50 + 10 * 4))
    expect(Object.keys(answers).sort()).toEqual(['RATE_LIMITED', 'ok'])
    expectWhole(outcome.calls)
  })

  it('should hold a flood of the largest payloads between live peers', async () => {
    let relayed = 0
    const outcome = await replay({
      name: 'Largest-payload flood',
      size: '10 rooms, both peers sending 192 KB offers for 3 s',
      run: async (url) => {
        const clients: HostileClient[] = []
        await Promise.all(
          Array.from({ length: 10 }, async (_, i) => {
            const {
              first: a,
              second: b,
              ids,
            } = await pairIn(url, `203.0.113.${20 + i}`, `big-${i}`)
            clients.push(a, b)
            await Promise.all(
              [a, b].map((client, side) =>
                forMs(3000, async () => {
                  if ((await send(client, ids[1 - side] ?? '', MAX_OFFER)) === 'ok') relayed++
                  else await sleep(50)
                }),
              ),
            )
          }),
        )
        closeAll(clients)
      },
    })
    expect(outcome.alive).toBe(true)
    expect(relayed).toBeGreaterThan(0)
    expect(outcome.usage.peakRssMiB - outcome.usage.startRssMiB).toBeLessThan(128)
    expectWhole(outcome.calls)
  })

  it('should cut readers that never drain, keeping what is sent to them within the mailbox budget', async () => {
    const refusals: string[] = []
    const outcome = await replay({
      name: 'Slow readers that never drain',
      size: '5 rooms, 192 KB offers into a paused reader (20/s), 1 MiB write budget',
      // Loopback's kernel buffers take megabytes first; a smaller budget shows the cut sooner.
      env: { DUET_MAX_BUFFERED_BYTES: '1MiB' },
      run: async (url) => {
        const clients: HostileClient[] = []
        await Promise.all(
          Array.from({ length: 5 }, async (_, i) => {
            const pair = await pairIn(url, `203.0.113.${40 + i}`, `slow-${i}`)
            const { first: reader, second: sender, ids } = pair
            const [peerId] = ids
            clients.push(reader, sender)
            // The reader's TCP socket stops reading: the server's writes to it pile up.
            const transport = reader.io.engine.transport as unknown as {
              ws?: { _socket?: { pause(): void } }
            }
            transport.ws?._socket?.pause()
            // Loopback's kernel buffers take megabytes before anything waits in the server: the
            // sender goes on until it is refused, or for 12 s.
            let refusal: string | undefined
            const end = Date.now() + 12_000
            while (refusal === undefined && Date.now() < end) {
              const answer = await send(sender, peerId, MAX_OFFER)
              if (answer !== 'ok' && answer !== 'RATE_LIMITED') refusal = answer
              if (answer !== 'ok') await sleep(50)
            }
            if (refusal) refusals.push(refusal)
          }),
        )
        closeAll(clients)
      },
    })
    expect(outcome.alive).toBe(true)
    // Cut, the reader is away: what follows is kept up to its mailbox budget, then refused.
    expect(refusals).toEqual(Array(5).fill('MAILBOX_FULL'))
    expect(outcome.output).toContain('slow reader cut')
    expect(outcome.usage.peakRssMiB - outcome.usage.startRssMiB).toBeLessThan(128)
    expectWhole(outcome.calls)
  })

  it('should refuse JWT garbage at the door while authenticated calls go on', async () => {
    const secret = 'a-secret-of-at-least-thirty-two-bytes!'
    const exp = Math.floor(Date.now() / 1000) + 600
    const garbage = [
      'x',
      'a.b.c',
      '.'.repeat(40),
      'e'.repeat(600),
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"rooms":"*"}').toString('base64url')}.`,
      signHs256({ rooms: '*', exp }, 'a-different-secret-of-thirty-two-bytes'),
      signHs256({ rooms: '*', exp: 1 }, secret),
      signHs256({ exp }, secret),
      42,
      { token: 'nested' },
    ]
    const refused: string[] = []
    const outcome = await replay({
      name: 'JWT garbage',
      size: '300 connections with forged, expired or malformed tokens',
      env: { DUET_JWT_SECRET: secret },
      honestAuth: { token: signHs256({ rooms: '*', exp }, secret) },
      run: async (url) => {
        const attempts = Array.from({ length: 300 }, (_, i) => i)
        await inWaves(attempts, 30, async (i) => {
          const { client, refused: reason } = await open(url, `203.0.113.${60 + (i % 10)}`, {
            token: garbage[i % garbage.length],
          })
          if (reason === undefined) client.close()
          else refused.push(reason)
        })
      },
    })
    expect(outcome.alive).toBe(true)
    expect(refused).toHaveLength(300)
    expect(new Set(refused)).toEqual(new Set(['unauthorized']))
    expectWhole(outcome.calls)
  })
})
