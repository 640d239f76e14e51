import { execFileSync } from 'node:child_process'
import { CUT_TABLE, canCutNetwork as mayCutNetwork, nft } from '../../../../scripts/lib/netcut.mjs'

export { cutPeerTraffic, healPeerTraffic } from '../../../../scripts/lib/netcut.mjs'

/**
 * True only inside the loopback-only namespace `npm test` creates: there, dropping packets
 * breaks nothing but the test's own calls. On a developer's machine it is false and the tests
 * that cut the network are skipped rather than touch the host's firewall.
 */
export const canCutNetwork = mayCutNetwork()

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
    CUT_TABLE,
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
