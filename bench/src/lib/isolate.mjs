import { spawnSync } from 'node:child_process'
import { networkInterfaces } from 'node:os'

/** True when the only network interface is loopback (a namespace made for the bench or tests). */
export const loopbackOnly = () => Object.keys(networkInterfaces()).every((name) => name === 'lo')

/**
 * As root, re-runs this process in a fresh network namespace with only loopback up, as the
 * tests do (shared/ENVIRONMENT.md): every ICE candidate is 127.0.0.1 and no benchmark can
 * reach, or depend on, anything else. Returns the child's exit code, or null when the current
 * process should go on by itself (already isolated, not root, or `unshare` not permitted).
 */
export function reRunIsolated() {
  if (loopbackOnly() || process.getuid?.() !== 0) return null
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) return null
  const script = 'ip link set lo up && exec "$0" "$@"'
  const child = spawnSync(
    'unshare',
    ['-n', 'sh', '-c', script, process.execPath, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
    },
  )
  return child.status ?? 1
}
