/** Socket.io protocol v5 packet types. */
export const CONNECT = 0
export const DISCONNECT = 1
export const EVENT = 2
export const ACK = 3
export const CONNECT_ERROR = 4

/** A decoded Socket.io packet (binary packets are not used by Duet and never decoded). */
export interface SocketPacket {
  type: number
  nsp: string
  id?: number
  data?: unknown
}

/** `<type>[<namespace>,][<ack id>][<JSON data>]`, as socket.io-parser writes it. */
export function encodePacket({ type, nsp, id, data }: SocketPacket): string {
  const namespace = nsp === '/' ? '' : `${nsp},`
  return `${type}${namespace}${id ?? ''}${data === undefined ? '' : JSON.stringify(data)}`
}

const PACKET = /^([0-4])(?:(\/[^,]*),)?(\d+)?([\s\S]*)$/

/** The packet in `text`, or undefined for what this client does not read (binary, malformed). */
export function decodePacket(text: string): SocketPacket | undefined {
  const match = PACKET.exec(text)
  if (!match) return undefined
  const [, type, nsp = '/', id, data] = match
  try {
    return {
      type: Number(type),
      nsp,
      ...(id === undefined ? {} : { id: Number(id) }),
      ...(data ? { data: JSON.parse(data) } : {}),
    }
  } catch {
    return undefined
  }
}
