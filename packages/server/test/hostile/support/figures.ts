import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CallReport } from './honestCall'
import type { Usage } from './probe'

/** One attack's figures, as the README's "Hostile load" table shows them. */
export interface AttackFigures {
  /** The attack. */
  attack: string
  /** Its size, in words. */
  size: string
  /** The server's usage during it. */
  usage: Usage
  /** Relays lost, duplicated or reordered in the honest calls (must be 0). */
  honestLost: number
  /** Slowest Redis command seen, in ms, when the attack ran against Redis. */
  redisWorstMs?: number
}

const DIR = fileURLToPath(new URL('../results', import.meta.url))

/** The sum of what went wrong in honest calls. */
export const badRelays = (reports: readonly CallReport[]): number =>
  reports.reduce((sum, r) => sum + r.refused + r.lost + r.duplicated + r.reordered, 0)

/** Writes one attack's figures to `test/hostile/results/` (ignored by git) and prints them. */
export function record(figures: AttackFigures): void {
  mkdirSync(DIR, { recursive: true })
  const file = `${figures.attack.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.json`
  writeFileSync(join(DIR, file), `${JSON.stringify(figures, null, 2)}\n`)
  const { usage } = figures
  console.log(
    `| ${figures.attack} | ${figures.size} | ${usage.peakRssMiB} MiB (from ${usage.startRssMiB}) | ${usage.peakCpuPercent} % peak, ${usage.cpuSeconds.toFixed(1)} s | ${figures.honestLost} | ${figures.redisWorstMs === undefined ? '–' : `${figures.redisWorstMs.toFixed(1)} ms`} |`,
  )
}
