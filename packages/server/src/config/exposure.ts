import { BlockList, isIP } from 'node:net'

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

const FLAGS = {
  auth: '--jwt-secret, --jwt-public-key or --jwks-url',
  origins: '--cors-origin <origins>',
  anonymous: "--allow-anonymous or --cors-origin '*'",
}

const OPTIONS = {
  auth: 'jwtSecret, jwtPublicKey, jwksUrl or authenticate',
  origins: 'corsOrigin',
  anonymous: "allowAnonymous: true or corsOrigin: '*'",
}

/**
 * Why a server must not listen as configured, or undefined if it may: bound beyond loopback,
 * anyone who guesses a room name could join it and read its peers' IP addresses, so such a
 * server needs authentication, an explicit Origin allow-list, or an explicit opt-out. The
 * message names the CLI flags or the `createSignalingServer` options to set.
 */
export function exposureRefusal(
  settings: ExposureSettings,
  spelling: 'flags' | 'options' = 'flags',
): string | undefined {
  const { host, authenticated, originsExplicit, allowAnonymous } = settings
  if (isLoopback(host) || authenticated || originsExplicit || allowAnonymous) return undefined
  const names = spelling === 'flags' ? FLAGS : OPTIONS
  return (
    `listening on ${host} (beyond this machine) needs authentication or an Origin allow-list: ` +
    `set ${names.auth}, or ${names.origins}; ${names.anonymous} to serve everyone on purpose`
  )
}
