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

/** Drops every UDP packet (all media and ICE); signaling over TCP keeps working. */
export function cutUdp() {
  if (!canCutNetwork) throw new Error('refusing to cut the network outside the test namespace')
  nft('add', 'table', 'inet', 'duet_cut')
  nft('add', 'chain', 'inet', 'duet_cut', 'in', '{ type filter hook input priority 0; }')
  nft('add', 'rule', 'inet', 'duet_cut', 'in', 'udp', 'dport', '1-65535', 'drop')
}

/** Lets UDP through again. */
export function healUdp() {
  if (!canCutNetwork) return
  try {
    nft('delete', 'table', 'inet', 'duet_cut')
  } catch {
    // Already healed.
  }
}
