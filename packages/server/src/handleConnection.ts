import {
  type Ack,
  type ClientToServerEvents,
  ErrorCode,
  failure,
  type IceServerData,
  type JoinResult,
  parseJoinRequest,
  parseOutgoingSignal,
  type ServerToClientEvents,
} from '@duet/core/protocol'
import type { Socket } from 'socket.io'
import type { Logger } from './logger'
import { request } from './request'
import type { RoomStore } from './rooms'
import type { InterServerEvents, SignalingIo, SocketData } from './server.types'

/** A connected client socket, typed like the server. */
export type SignalingSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>

/** What the connection handler needs from the server that owns it. */
export interface ConnectionContext {
  /** The server, to deliver to other sockets. */
  io: SignalingIo
  /** Who is in which room. */
  rooms: RoomStore
  /** Peers per room. */
  capacity: number
  /** Handed out in every join result. */
  iceServers: IceServerData[]
  /** Where joins, leaves and failures go. */
  logger: Logger
}

// Prefixed so a room id can never collide with a socket id, which socket.io also uses as a room.
const channel = (roomId: string): string => `room:${roomId}`

/** Builds the `connection` listener: one room per socket, validated requests, relays in-room only. */
export function handleConnection(context: ConnectionContext): (socket: SignalingSocket) => void {
  const { io, rooms, capacity, iceServers, logger } = context

  // Shared by `room:leave` and disconnect, so both free the slot and tell the others.
  function depart(socket: SignalingSocket): boolean {
    const membership = socket.data.membership
    if (!membership) return false
    const { roomId, peerId } = membership
    socket.data.membership = undefined
    rooms.leave(roomId, peerId)
    socket.leave(channel(roomId))
    io.to(channel(roomId)).emit('peer:left', { peerId })
    logger.info('peer left', { roomId, peerId })
    return true
  }

  return (socket) => {
    socket.on(
      'room:join',
      request<JoinResult>('room:join', logger, (payload) => {
        const parsed = parseJoinRequest(payload)
        if (!parsed.ok) return parsed
        if (socket.data.membership) {
          return failure(ErrorCode.ALREADY_IN_ROOM, 'leave your room before joining another')
        }
        const { roomId } = parsed.value
        const outcome = rooms.join(roomId, socket.id, capacity)
        if (!outcome.ok) return failure(ErrorCode.ROOM_FULL, `room is full (${capacity} peers)`)
        const { peerId } = outcome.member
        socket.data.membership = { roomId, peerId }
        socket.to(channel(roomId)).emit('peer:joined', { peerId })
        socket.join(channel(roomId))
        logger.info('peer joined', { roomId, peerId })
        return {
          ok: true,
          roomId,
          peerId,
          peers: outcome.others.map((other) => ({ peerId: other.peerId })),
          iceServers,
          capacity,
        }
      }),
    )

    socket.on(
      'room:leave',
      request<Ack>('room:leave', logger, () =>
        depart(socket) ? { ok: true } : failure(ErrorCode.NOT_IN_ROOM, 'you are not in a room'),
      ),
    )

    socket.on(
      'signal:send',
      request<Ack>('signal:send', logger, (payload) => {
        const parsed = parseOutgoingSignal(payload)
        if (!parsed.ok) return parsed
        const membership = socket.data.membership
        if (!membership) return failure(ErrorCode.NOT_IN_ROOM, 'join a room before signaling')
        const { to, signal } = parsed.value
        // Relaying to yourself is never useful and would hide a client bug, so it counts as
        // "not another peer of your room".
        const target = to === membership.peerId ? undefined : rooms.member(membership.roomId, to)
        if (!target) return failure(ErrorCode.PEER_NOT_FOUND, 'no such peer in your room')
        // The parsed copy is relayed, never the raw payload: extra fields stay behind.
        io.to(target.socketId).emit('signal:receive', { from: membership.peerId, signal })
        return { ok: true }
      }),
    )

    socket.on('disconnect', () => {
      try {
        depart(socket)
      } catch (error) {
        logger.error('disconnect cleanup failed', { error })
      }
    })
  }
}
