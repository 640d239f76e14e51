import { execFileSync } from 'node:child_process'
import { networkInterfaces } from 'node:os'

/**
 * True only inside the loopback-only namespace `npm test` creates: there, dropping packets
 * breaks nothing but the test's own calls. On a developer's machine it is false and the tests
 * that cut the network are skipped rather than touch the host's firewall.
 */
export const canCutNetwork =
  process.getuid?.() === 0 && Object.keys(networkInterfaces()).every((name) => name === 'lo')

const nft = (...args: string[]) => execFileSync('nft', args, { stdio: 'pipe' })

/**
 * Drops every packet between peers — all UDP, and all TCP except to and from the kept ports (the
 * signaling server's; a browser driver's), because libwebrtc also gathers ICE-TCP candidates and
 * would heal through them.
 */
export function cutPeerTraffic(...keptPorts: number[]) {
  if (!canCutNetwork) throw new Error('refusing to cut the network outside the test namespace')
  nft('add', 'table', 'inet', 'duet_cut')
  nft('add', 'chain', 'inet', 'duet_cut', 'in', '{ type filter hook input priority 0; }')
  nft('add', 'rule', 'inet', 'duet_cut', 'in', 'meta', 'l4proto', 'udp', 'drop')
  // Accepts first, then a plain drop: one rule `tcp dport != P tcp sport != P drop` (what this
  // helper used to add) also dropped the kept port's traffic on Debian 12's nftables 1.0.6 with
  // a single port, so signaling was cut as well (issue #17).
  for (const port of keptPorts) {
    nft('add', 'rule', 'inet', 'duet_cut', 'in', 'tcp', 'dport', String(port), 'accept')
    nft('add', 'rule', 'inet', 'duet_cut', 'in', 'tcp', 'sport', String(port), 'accept')
  }
  nft('add', 'rule', 'inet', 'duet_cut', 'in', 'meta', 'l4proto', 'tcp', 'drop')
}

/** Lets peer traffic through again. */
export function healPeerTraffic() {
  if (!canCutNetwork) return
  try {
    nft('delete', 'table', 'inet', 'duet_cut')
  } catch {
    // Already healed.
  }
}

/** Local ports of this machine's established TCP connections to the port (a server's). */
export function connectionsTo(port: number): number[] {
  const listing = execFileSync(
    'ss',
    ['-Htn', 'state', 'established', 'dst', '127.0.0.1', 'dport', '=', `:${port}`],
    { stdio: 'pipe' },
  ).toString()
  return listing
    .split('\n')
    .map((line) =>
      line
        .trim()
        .split(/\s+/)
        .find((field) => field.includes(':')),
    )
    .filter((local): local is string => local !== undefined)
    .map((local) => Number(local.slice(local.lastIndexOf(':') + 1)))
}

/**
 * Takes one client off a server while the cut lasts, as a locked phone is: destroys its
 * connections to the port (found by their local ports), so the server sees the socket drop
 * ("transport close"), and refuses new connections to the port until {@link healPeerTraffic}.
 * Connections of other clients stay up. Needs {@link cutPeerTraffic} first.
 */
export function takeOffline(port: number, localPorts: readonly number[]) {
  if (!canCutNetwork) throw new Error('refusing to drop connections outside the test namespace')
  // Before the cut's accept rules for the port: a connection attempt (SYN alone) is dropped.
  nft(
    'insert',
    'rule',
    'inet',
    'duet_cut',
    'in',
    'tcp',
    'dport',
    String(port),
    'tcp',
    'flags',
    '&',
    '(syn|ack)',
    '==',
    'syn',
    'drop',
  )
  for (const local of localPorts) {
    const filter = ['dst', '127.0.0.1', 'dport', '=', `:${port}`, 'sport', '=', `:${local}`]
    execFileSync('ss', ['-K', ...filter], { stdio: 'pipe' })
  }
}
