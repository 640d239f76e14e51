import { readFileSync } from 'node:fs'

/** What a server process used while it was watched. */
export interface Usage {
  /** Highest resident set size seen, in MiB. */
  peakRssMiB: number
  /** RSS when watching started, in MiB. */
  startRssMiB: number
  /** CPU time used, in seconds (user + system). */
  cpuSeconds: number
  /** Highest CPU use over any 500 ms, in percent of one core. */
  peakCpuPercent: number
}

const TICKS_PER_SECOND = 100
const SAMPLE_MS = 100

function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
}

function cpuTicks(pid: number): number {
  // Fields after the command name, which may hold spaces, so split after its closing paren.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12])
}

/** Samples a process's RSS and CPU every 100 ms until `stop()`, which returns the usage. */
export function watchProcess(pid: number): { stop(): Usage; alive(): boolean } {
  const alive = (): boolean => {
    try {
      rssKiB(pid)
      return true
    } catch {
      return false
    }
  }
  const startRss = rssKiB(pid)
  const startTicks = cpuTicks(pid)
  let peakRss = startRss
  let peakCpu = 0
  const window: { at: number; ticks: number }[] = [{ at: performance.now(), ticks: startTicks }]
  let lastTicks = startTicks
  const timer = setInterval(() => {
    if (!alive()) return
    peakRss = Math.max(peakRss, rssKiB(pid))
    lastTicks = cpuTicks(pid)
    const now = performance.now()
    window.push({ at: now, ticks: lastTicks })
    while (window.length > 1 && now - (window[0]?.at ?? now) > 500) window.shift()
    const first = window[0]
    if (first && now - first.at >= 400) {
      const percent =
        ((lastTicks - first.ticks) / TICKS_PER_SECOND / ((now - first.at) / 1000)) * 100
      peakCpu = Math.max(peakCpu, percent)
    }
  }, SAMPLE_MS)
  return {
    alive,
    stop() {
      clearInterval(timer)
      if (alive()) {
        peakRss = Math.max(peakRss, rssKiB(pid))
        lastTicks = cpuTicks(pid)
      }
      return {
        peakRssMiB: Math.round(peakRss / 1024),
        startRssMiB: Math.round(startRss / 1024),
        cpuSeconds: (lastTicks - startTicks) / TICKS_PER_SECOND,
        peakCpuPercent: Math.round(peakCpu),
      }
    },
  }
}
