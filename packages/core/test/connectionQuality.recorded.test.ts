import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { type PeerStats, summarizeStats } from '../src/peer/peer.stats'
import { type ConnectionQuality, connectionQuality } from '../src/stats/connectionQuality'

// Issue #17: quality over stats Chromium really reported, one report a second, recorded by
// e2e/quality.netcut.test.ts (two tabs on loopback; 20 % of all UDP then dropped at random by
// nftables; then no more), cut to the fields the summary reads.
interface Recorded {
  phase: 'clean' | 'loss' | 'healed'
  stats: Record<string, unknown>[]
}
const recording: Recorded[] = JSON.parse(
  readFileSync(new URL('./fixtures/chromium-loss-20.json', import.meta.url), 'utf8'),
)

const asReport = (stats: Record<string, unknown>[]) =>
  new Map(stats.map((stat) => [stat.id as string, stat])) as unknown as RTCStatsReport

/** The quality after each recorded report, as the call's sampler computes it. */
function replay(): { phase: Recorded['phase']; quality: ConnectionQuality | null }[] {
  const history: PeerStats[] = []
  return recording.map(({ phase, stats }) => {
    history.push(summarizeStats(asReport(stats), history.at(-1) ?? null))
    return { phase, quality: connectionQuality(history.slice(-3)) }
  })
}

const inPhase = (phase: Recorded['phase']) => replay().filter((step) => step.phase === phase)

describe('connectionQuality on a recorded Chromium call', () => {
  it('should show the undisturbed call as excellent', () => {
    const clean = inPhase('clean')
    expect(clean.length).toBeGreaterThan(0)
    for (const step of clean) expect(step.quality).toBe('excellent')
  })

  it('should fall to poor within three samples of 20 % loss and stay there', () => {
    const lossy = inPhase('loss').map((step) => step.quality)
    const fell = lossy.indexOf('poor')
    expect(fell).toBeGreaterThanOrEqual(0)
    expect(fell).toBeLessThan(3)
    expect(lossy.slice(fell + 1).every((quality) => quality === 'poor')).toBe(true)
  })

  it('should come back within the window once nothing is dropped', () => {
    const healed = inPhase('healed').map((step) => step.quality)
    expect(healed.slice(3).every((quality) => quality === 'excellent' || quality === 'good')).toBe(
      true,
    )
  })
})
