// Preloaded into every server under test (`node --import probe.mjs`), so all targets are
// measured the same way from inside: heap after a full GC, GC pauses and event-loop delay.
// It answers the bench over the IPC channel and does nothing when there is none.
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { join } from 'node:path'
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import { GCProfiler, getHeapStatistics } from 'node:v8'

if (process.send) {
  const pauses = []
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push([entry.detail?.kind, entry.duration])
  }).observe({ entryTypes: ['gc'] })
  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()

  // With DUET_BENCH_PROFILE_DIR set, each measurement window (resetGc → gcStats) is profiled
  // on its own (connecting thousands of sockets would otherwise fill the profile).
  const profileDir = process.env.DUET_BENCH_PROFILE_DIR
  const session = profileDir ? new Session() : null
  session?.connect()
  const post = (method) =>
    new Promise((resolve) => session.post(method, (_error, result) => resolve(result)))
  let windows = 0
  const startProfile = () => post('Profiler.enable').then(() => post('Profiler.start'))
  const stopProfile = async () => {
    const { profile } = await post('Profiler.stop')
    windows += 1
    writeFileSync(join(profileDir, `${process.pid}-${windows}.cpuprofile`), JSON.stringify(profile))
  }

  // What the young generation hands on to the old one, scavenge by scavenge: objects that
  // outlive two scavenges are moved to old space, and that space's growth is what brings on the
  // next major GC, whose marking of the whole live heap is what a relay's tail waits on.
  let gcProfiler = null
  const oldSpaceUsed = (spaces) =>
    spaces.find((space) => space.spaceName === 'old_space')?.spaceUsedSize ?? 0
  const promotedBytes = (statistics) =>
    statistics
      .filter((gc) => gc.gcType === 'Scavenge')
      .reduce(
        (sum, gc) =>
          sum +
          Math.max(
            0,
            oldSpaceUsed(gc.afterGC.heapSpaceStatistics) -
              oldSpaceUsed(gc.beforeGC.heapSpaceStatistics),
          ),
        0,
      )

  const handlers = {
    // A full GC first (twice: the first one may only free what then becomes collectable), so
    // the heap is what the sockets keep alive, not garbage waiting for a collection.
    // Only V8's own figures: reading RSS opens /proc/self/statm, which fails once the server
    // holds all the files it may open (the bench reads RSS from outside, in /proc/<pid>).
    memory: () => {
      globalThis.gc?.()
      globalThis.gc?.()
      const heap = getHeapStatistics()
      return {
        heapUsed: heap.used_heap_size,
        heapTotal: heap.total_heap_size,
        external: heap.external_memory,
      }
    },
    resetGc: async () => {
      if (session) await startProfile()
      pauses.length = 0
      loop.reset()
      gcProfiler?.stop()
      gcProfiler = new GCProfiler()
      gcProfiler.start()
      return {}
    },
    gcStats: async () => {
      if (session) await stopProfile()
      const major = pauses.filter(([kind]) => kind === constants.NODE_PERFORMANCE_GC_MAJOR)
      const ms = (list) => list.map(([, duration]) => duration)
      const profile = gcProfiler?.stop()
      gcProfiler = null
      const seconds = profile ? (profile.endTime - profile.startTime) / 1000 : 0
      return {
        promotedBytesPerSecond:
          profile && seconds > 0 ? promotedBytes(profile.statistics) / seconds : null,
        count: pauses.length,
        majorCount: major.length,
        minorCount: pauses.filter(([kind]) => kind === constants.NODE_PERFORMANCE_GC_MINOR).length,
        maxPauseMs: Math.max(0, ...ms(pauses)),
        maxMajorPauseMs: Math.max(0, ...ms(major)),
        totalPauseMs: ms(pauses).reduce((a, b) => a + b, 0),
        loopDelayP99Ms: loop.percentile(99) / 1e6,
        loopDelayMaxMs: loop.max / 1e6,
        heapUsed: getHeapStatistics().used_heap_size,
      }
    },
  }
  process.on('message', (message) => {
    const handler = handlers[message?.type]
    if (handler)
      Promise.resolve(handler()).then((reply) => process.send({ id: message.id, ...reply }))
  })
  // The channel must not keep a server alive that would otherwise exit.
  process.channel?.unref()
}
