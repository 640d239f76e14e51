// Cuts the peers' network inside the loopback-only namespace: the same nftables rules as the
// tests' helper (packages/core/test/support/network.ts), which the bench cannot import (it runs
// the packages' JavaScript, not the tests' TypeScript).
import { execFileSync } from 'node:child_process'
import { loopbackOnly } from './isolate.mjs'

/** Only as root inside the namespace: there, a dropped packet breaks nothing but the bench. */
export const canCutNetwork = () => process.getuid?.() === 0 && loopbackOnly()

const nft = (...args) => execFileSync('nft', args, { stdio: 'pipe' })

/** Drops all UDP and all TCP but the kept ports' (signaling), as a network outage would. */
export function cutPeerTraffic(...keptPorts) {
  if (!canCutNetwork()) throw new Error('refusing to cut the network outside the namespace')
  nft('add', 'table', 'inet', 'duet_bench_cut')
  nft('add', 'chain', 'inet', 'duet_bench_cut', 'in', '{ type filter hook input priority 0; }')
  nft('add', 'rule', 'inet', 'duet_bench_cut', 'in', 'meta', 'l4proto', 'udp', 'drop')
  for (const port of keptPorts) {
    nft('add', 'rule', 'inet', 'duet_bench_cut', 'in', 'tcp', 'dport', String(port), 'accept')
    nft('add', 'rule', 'inet', 'duet_bench_cut', 'in', 'tcp', 'sport', String(port), 'accept')
  }
  // libwebrtc also gathers ICE-TCP candidates and would heal through them.
  nft('add', 'rule', 'inet', 'duet_bench_cut', 'in', 'meta', 'l4proto', 'tcp', 'drop')
}

/** Lets the peers' traffic through again; harmless when nothing is cut. */
export function healPeerTraffic() {
  if (!canCutNetwork()) return
  try {
    nft('delete', 'table', 'inet', 'duet_bench_cut')
  } catch {
    // Nothing was cut.
  }
}
