import { type CliNode, ensureBuilt, startCliNode } from '../../support/cliNode'
import { badRelays, record } from './figures'
import { type CallReport, startHonestCall } from './honestCall'
import { type Usage, watchProcess } from './probe'
import { watchSlowlog } from './redisSlowlog'

/** What an attack left behind, for the test's assertions. */
export interface Outcome {
  /** The server process's usage during the attack. */
  usage: Usage
  /** Whether the server process was still running at the end. */
  alive: boolean
  /** The two honest calls' reports. */
  calls: CallReport[]
  /** Slowest Redis command, in ms, when there was a Redis. */
  redisWorstMs: number | undefined
  /** The server's output (JSON log lines at warn and above). */
  output: string
}

/** An attack to replay against a fresh `duet-server`. */
export interface Attack {
  /** Its name in the table. */
  name: string
  /** Its size, in words. */
  size: string
  /** Extra `DUET_*` variables of the server (a server that lacks one ignores it). */
  env?: Record<string, string>
  /** Redis URL the server shares rooms in, and whose slow log is read. */
  redis?: string
  /** Tokens the honest clients present, when the server asks for one. */
  honestAuth?: Record<string, unknown>
  /** The attack itself, against the server at `url`. */
  run(url: string, node: CliNode): Promise<void>
}

/** Addresses of the two honest calls, one per client. */
const HONEST: [string, string][] = [
  ['198.51.100.1', '198.51.100.2'],
  ['198.51.100.3', '198.51.100.4'],
]

/**
 * Starts a `duet-server` (behind loopback, which it trusts as its proxy), two honest calls in
 * rooms of their own, then the attack; measures the server and Redis meanwhile and records the
 * figures.
 */
export async function replay(attack: Attack): Promise<Outcome> {
  await ensureBuilt()
  const env = {
    DUET_LOG_LEVEL: 'warn',
    DUET_TRUST_PROXY: '127.0.0.1',
    // duet-server on a Redis needs a resume secret shared by its nodes (#13).
    ...(attack.redis ? { DUET_RESUME_SECRET: 'hostile-resume-secret-of-at-least-32-bytes' } : {}),
    ...attack.env,
  }
  const node = await startCliNode(attack.redis ? ['--redis', attack.redis] : [], env)
  const slowlog = attack.redis ? await watchSlowlog(attack.redis) : undefined
  try {
    const probe = watchProcess(node.child.process.pid ?? 0)
    const calls = await Promise.all(
      HONEST.map((addresses, i) =>
        startHonestCall(node.url, `honest-${i}`, addresses, attack.honestAuth),
      ),
    )
    let failure: unknown
    try {
      await attack.run(node.url, node)
    } catch (error) {
      failure = error
    }
    const reports = await Promise.all(calls.map((call) => call.stop()))
    const alive = probe.alive() && node.child.process.exitCode === null
    const usage = probe.stop()
    const redisWorstMs = await slowlog?.worstMs()
    record({
      attack: attack.name,
      size: attack.size,
      usage,
      honestLost: badRelays(reports),
      ...(redisWorstMs !== undefined ? { redisWorstMs } : {}),
    })
    if (failure) throw failure
    return { usage, alive, calls: reports, redisWorstMs, output: node.child.output() }
  } finally {
    await slowlog?.close()
    await node.child.stop()
  }
}
