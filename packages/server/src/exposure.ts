import { BlockList, isIP } from 'node:net'

/** Interface the server binds when no host is given: this machine only. */
export const DEFAULT_HOST = '127.0.0.1'

const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

/**
 * Whether an address only this machine can reach: `localhost`, 127.0.0.0/8 or `::1` (in any
 * spelling, IPv4-mapped included). Any other name counts as reachable from elsewhere.
 */
export function isLoopback(host: string): boolean {
  const address = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  if (address === 'localhost') return true
  const version = isIP(address)
  return version !== 0 && LOOPBACK.check(address, version === 6 ? 'ipv6' : 'ipv4')
}

/** What decides whether a server may listen beyond loopback. */
export interface ExposureSettings {
  /** The interface to bind. */
  host: string
  /** Whether connections must authenticate (a JWT key, or an `authenticate` hook). */
  authenticated: boolean
  /** Whether an Origin allow-list was given explicitly (`'*'` included, as a deliberate choice). */
  originsExplicit: boolean
  /** Whether anonymous access was asked for explicitly. */
  allowAnonymous: boolean
}

/**
 * Why a server must not listen as configured, or undefined if it may: bound beyond loopback,
 * anyone who guesses a room name could join it and read its peers' IP addresses, so such a
 * server needs authentication, an explicit Origin allow-list, or an explicit opt-out.
 */
export function exposureRefusal(settings: ExposureSettings): string | undefined {
  const { host, authenticated, originsExplicit, allowAnonymous } = settings
  if (isLoopback(host) || authenticated || originsExplicit || allowAnonymous) return undefined
  return (
    `listening on ${host} (beyond this machine) needs authentication or an Origin allow-list: ` +
    'set --jwt-secret, --jwt-public-key or --jwks-url, or --cors-origin <origins>; ' +
    "--allow-anonymous or --cors-origin '*' to serve everyone on purpose"
  )
}
