import type { ClientToServerEvents, JoinSuccess, ServerToClientEvents } from '@duet/core/protocol'
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import { afterEach, expect } from 'vitest'
import { createSignalingServer } from '../src/createSignalingServer'
import type { ListenOptions, SignalingServer } from '../src/serverTypes'

/** A client typed like the real ones. */
export type Client = Socket<ServerToClientEvents, ClientToServerEvents>

/** The same client without types, to send what a hostile or buggy client would. */
export const raw = (client: Client): Socket => client as unknown as Socket

/** An event a client received, in arrival order. */
export interface Received {
  event: string
  args: unknown[]
}

const inboxes = new WeakMap<Client, Received[]>()

/** Everything a client received since it connected. */
export const received = (client: Client): Received[] => inboxes.get(client) ?? []

/** The payloads of one event a client received, in arrival order. */
export const eventsOf = (client: Client, event: string): unknown[] =>
  received(client)
    .filter((entry) => entry.event === event)
    .map((entry) => entry.args[0])

const TIMEOUT = 2000

/**
 * Registers cleanup for the calling test file and returns starters for servers and clients;
 * every client is disconnected and every server closed after each test.
 */
export function useHarness() {
  const servers: SignalingServer[] = []
  const clients: Client[] = []

  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect()
    await Promise.all(servers.splice(0).map((server) => server.close()))
  })

  /** Closes the server after the test. */
  function track(server: SignalingServer): SignalingServer {
    servers.push(server)
    return server
  }

  /** Starts a server on a free loopback port and returns it with its URL. */
  async function start(options: Omit<ListenOptions, 'port' | 'host'> = {}) {
    const server = track(createSignalingServer({ port: 0, host: '127.0.0.1', ...options }))
    await server.ready
    const address = server.address()
    if (!address) throw new Error('server has no address')
    return { server, url: `http://${address.host}:${address.port}` }
  }

  /** Connects a websocket client and waits for it to be connected. */
  async function connect(
    url: string,
    options: Partial<ManagerOptions & SocketOptions> = {},
  ): Promise<Client> {
    const client: Client = io(url, {
      forceNew: true,
      transports: ['websocket'],
      reconnection: false,
      ...options,
    })
    clients.push(client)
    const inbox: Received[] = []
    inboxes.set(client, inbox)
    client.onAny((event: string, ...args: unknown[]) => inbox.push({ event, args }))
    // As @duet/core does: kept relays are forgotten by the server once acknowledged. (A relay
    // replayed by connection state recovery carries its offset there instead.)
    client.on('signal:receive', (_message, ack) => {
      if (typeof ack === 'function') ack()
    })
    await new Promise<void>((resolve, reject) => {
      client.once('connect', resolve)
      client.once('connect_error', reject)
    })
    return client
  }

  /** Connects a client and joins it to a room, asserting success. */
  async function joined(
    url: string,
    roomId: string,
  ): Promise<{ client: Client; join: JoinSuccess }> {
    const client = await connect(url)
    const join = await client.timeout(TIMEOUT).emitWithAck('room:join', { roomId })
    if (!join.ok) throw new Error(`join failed: ${join.error.code}`)
    return { client, join }
  }

  return { track, start, connect, joined }
}

/** Resolves with the payload of the next `event` the client receives. */
export function next<E extends keyof ServerToClientEvents>(
  client: Client,
  event: E,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${TIMEOUT}ms`)), TIMEOUT)
    const listener = ((payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer)
      resolve(payload)
    }) as ServerToClientEvents[E]
    client.once(event, listener as never)
  })
}

/**
 * Waits until everything the server sent this client so far has arrived: the server answers a
 * request after every message it emitted to this socket before, on the same ordered connection.
 */
export async function flush(client: Client): Promise<void> {
  const answer = await raw(client).timeout(TIMEOUT).emitWithAck('signal:send', null)
  expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } })
}

/** Asserts that the client received nothing since it connected (flushing first). */
export async function expectNothingReceived(client: Client): Promise<void> {
  await flush(client)
  expect(received(client)).toEqual([])
}

/** Emits with an ack and a timeout, typed loosely for invalid payloads. */
export function request(client: Client, event: string, ...args: unknown[]): Promise<unknown> {
  return raw(client)
    .timeout(TIMEOUT)
    .emitWithAck(event, ...args)
}
