import type { IncomingMessage } from 'node:http'
import { BlockList, isIP } from 'node:net'

/** Finds the address a connection comes from. */
export type ClientAddressOf = (request: IncomingMessage) => string

// `::ffff:10.0.0.1` is how a dual-stack socket shows an IPv4 peer: one client, one address.
const normalize = (address: string): string =>
  address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address

/** Parses `--trust-proxy` entries (`10.0.0.0/8`, `::1`, `127.0.0.1`) into a list to check. */
export function trustedProxies(cidrs: readonly string[]): BlockList {
  const list = new BlockList()
  for (const cidr of cidrs) {
    const [address = '', bits] = cidr.split('/')
    const family = isIP(address)
    if (family === 0) throw new TypeError(`not an IP address or CIDR: ${cidr}`)
    const type = family === 4 ? 'ipv4' : 'ipv6'
    const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits)
    if (!/^\d+$/.test(bits ?? '0') || prefix > (family === 4 ? 32 : 128)) {
      throw new TypeError(`not an IP address or CIDR: ${cidr}`)
    }
    list.addSubnet(address, prefix, type)
  }
  return list
}

const isTrusted = (list: BlockList, address: string): boolean => {
  const family = isIP(address)
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy; then
 * `X-Forwarded-For` is read from the right, skipping trusted proxies, and the first address
 * that is not one is the client. Entries left of it were written by the client itself and
 * prove nothing, which is why the header is never believed from anyone else.
 */
export function clientAddressOf(trusted: BlockList | undefined): ClientAddressOf {
  return (request) => {
    let address = normalize(request.socket.remoteAddress ?? 'unknown')
    if (!trusted) return address
    const header = request.headers['x-forwarded-for']
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((hop) => normalize(hop.trim()))
      .filter((hop) => hop !== '')
    while (isTrusted(trusted, address)) {
      const next = hops.pop()
      if (next === undefined || isIP(next) === 0) break
      address = next
    }
    return address
  }
}
