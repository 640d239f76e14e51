import { createServer, type Server } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { MAX_MESSAGE_BYTES } from '@duet/core/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { createSignalingServer } from '../src/createSignalingServer'
import { useHarness } from './harness'

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : 0)
    })
  })

const handshake = (url: string, origin: string, path = '/socket.io') =>
  fetch(`${url}${path}/?EIO=4&transport=polling`, { headers: { origin } })

describe('createSignalingServer', () => {
  const { track, start, connect } = useHarness()

  it('should listen on the given host and port and report its address', async () => {
    const { server, url } = await start()
    const address = server.address()
    expect(address).toEqual({ host: '127.0.0.1', port: expect.any(Number) })
    expect(address?.port).toBeGreaterThan(0)
    expect(server.httpServer.listening).toBe(true)
    const client = await connect(url)
    expect(client.connected).toBe(true)
  })

  it('should attach to an existing HTTP server and leave its other requests alone', async () => {
    const httpServer = createServer((_request, response) => response.end('app'))
    const server = track(createSignalingServer({ httpServer }))
    expect(server.httpServer).toBe(httpServer)
    expect(server.address()).toBeNull()
    const port = await listen(httpServer)
    await server.ready
    expect(server.address()).toEqual({ host: '127.0.0.1', port })
    const url = `http://127.0.0.1:${port}`
    expect(await (await fetch(`${url}/hello`)).text()).toBe('app')
    const client = await connect(url)
    expect(await client.emitWithAck('room:join', { roomId: 'lobby' })).toMatchObject({ ok: true })
  })

  it('should be ready at once when the attached server already listens', async () => {
    const httpServer = createServer()
    await listen(httpServer)
    const server = track(createSignalingServer({ httpServer }))
    await expect(server.ready).resolves.toBeUndefined()
  })

  it('should answer on a custom path only', async () => {
    const { url } = await start({ path: '/signal' })
    const client = await connect(url, { path: '/signal' })
    expect(await client.emitWithAck('room:join', { roomId: 'lobby' })).toMatchObject({ ok: true })
    await expect(connect(url)).rejects.toThrow()
  })

  it('should allow any origin by default', async () => {
    const { url } = await start()
    const response = await handshake(url, 'https://anywhere.example')
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('should allow only the configured origins', async () => {
    const { url } = await start({ corsOrigin: ['https://a.example', 'https://b.example'] })
    const allowed = await handshake(url, 'https://b.example')
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://b.example')
    const denied = await handshake(url, 'https://evil.example')
    expect(denied.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('should bound the message size to MAX_MESSAGE_BYTES and not serve the client bundle', async () => {
    const { server, url } = await start()
    expect(server.io.engine.opts.maxHttpBufferSize).toBe(MAX_MESSAGE_BYTES)
    expect(server.io.engine.opts.perMessageDeflate).toBe(false)
    const bundle = await fetch(`${url}/socket.io/socket.io.js`)
    expect(bundle.status).not.toBe(200)
  })

  it('should refuse a room capacity below 2, above 16 or not an integer', () => {
    expect(() => createSignalingServer({ port: 0, maxPeersPerRoom: 17 })).toThrow(
      'maxPeersPerRoom must be an integer from 2 to 16, got 17',
    )
    for (const maxPeersPerRoom of [1, 0, -2, 2.5, Number.NaN, 17, 100]) {
      expect(() => createSignalingServer({ port: 0, maxPeersPerRoom })).toThrow(RangeError)
    }
  })

  it('should refuse a recovery window longer than the resume window', () => {
    expect(() =>
      createSignalingServer({ port: 0, resumeWindowMs: 1000, recoveryWindowMs: 2000 }),
    ).toThrow(RangeError)
    expect(() =>
      createSignalingServer({ port: 0, resumeWindowMs: 0, recoveryWindowMs: 1 }),
    ).toThrow(RangeError)
  })

  it('should disconnect clients, stop listening and tolerate a second close', async () => {
    const { server, url } = await start()
    const client = await connect(url)
    const disconnected = new Promise<string>((resolve) => client.once('disconnect', resolve))
    await server.close()
    // A transport close, not a server disconnect: clients reconnect by themselves after a restart.
    expect(await disconnected).toBe('transport close')
    expect(server.httpServer.listening).toBe(false)
    await expect(server.close()).resolves.toBeUndefined()
  })
})

describe('createSignalingServer listen errors', () => {
  const blockers: ReturnType<typeof createNetServer>[] = []

  afterEach(async () => {
    await Promise.all(
      blockers.splice(0).map((blocker) => new Promise((resolve) => blocker.close(resolve))),
    )
  })

  it('should reject ready when the port is taken', async () => {
    const blocker = createNetServer()
    blockers.push(blocker)
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const address = blocker.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const server = createSignalingServer({ port, host: '127.0.0.1' })
    await expect(server.ready).rejects.toMatchObject({ code: 'EADDRINUSE' })
    await server.close()
  })
})
