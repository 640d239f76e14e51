// Cutting the peers' network inside the loopback-only namespace, for the tests that do it and
// the healing benchmark, kept in one place so their cuts are the same cut.
import { execFileSync } from 'node:child_process'
import { networkInterfaces } from 'node:os'

/** The nftables table a cut lives in; deleting it heals. */
export const CUT_TABLE = 'duet_cut'

/**
 * True only as root inside a loopback-only namespace (`npm test`, `pnpm bench`): there, a
 * dropped packet breaks nothing but our own calls. Elsewhere nothing may touch the firewall.
 * @returns {boolean}
 */
export function canCutNetwork() {
  return process.getuid?.() === 0 && Object.keys(networkInterfaces()).every((name) => name === 'lo')
}

/**
 * Runs `nft` with these arguments.
 * @param {...string} args
 */
export function nft(...args) {
  execFileSync('nft', args, { stdio: 'pipe' })
}

/**
 * Drops every packet between peers — all UDP, and all TCP except to and from the kept ports (the
 * signaling server's; a browser driver's), because libwebrtc also gathers ICE-TCP candidates and
 * would heal through them.
 * @param {...number} keptPorts
 */
export function cutPeerTraffic(...keptPorts) {
  if (!canCutNetwork()) throw new Error('refusing to cut the network outside the namespace')
  nft('add', 'table', 'inet', CUT_TABLE)
  nft('add', 'chain', 'inet', CUT_TABLE, 'in', '{ type filter hook input priority 0; }')
  nft('add', 'rule', 'inet', CUT_TABLE, 'in', 'meta', 'l4proto', 'udp', 'drop')
  // Accepts first, then a plain drop: one rule `tcp dport != P tcp sport != P drop` (what this
  // helper used to add) also dropped the kept port's traffic on Debian 12's nftables 1.0.6 with
  // a single port, so signaling was cut as well (issue #17).
  for (const port of keptPorts) {
    nft('add', 'rule', 'inet', CUT_TABLE, 'in', 'tcp', 'dport', String(port), 'accept')
    nft('add', 'rule', 'inet', CUT_TABLE, 'in', 'tcp', 'sport', String(port), 'accept')
  }
  nft('add', 'rule', 'inet', CUT_TABLE, 'in', 'meta', 'l4proto', 'tcp', 'drop')
}

/** Lets peer traffic through again; harmless when nothing is cut or cutting is not allowed. */
export function healPeerTraffic() {
  if (!canCutNetwork()) return
  try {
    nft('delete', 'table', 'inet', CUT_TABLE)
  } catch {
    // Already healed.
  }
}
