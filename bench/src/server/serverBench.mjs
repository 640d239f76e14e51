// Signaling servers under load: idle sockets (memory), relay latency with server CPU, and the
// same relay over two nodes sharing a Redis. Every server and every load generator is its own
// process, each with its own open-file limit; everything talks over 127.0.0.1 only.
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { canPin, cpuSeconds, freePort, rssBytes, sleep, startChild } from '../lib/proc.mjs'
import { round, summarize } from '../lib/stats.mjs'
import { startRedis } from './redis.mjs'
import { PROBE, SERVER_TARGETS } from './targets.mjs'

const LOADGEN = join(import.meta.dirname, 'loadgen.mjs')
const MB = 1024 * 1024

export const SERVER_PLAN = {
  full: {
    idle: [10_000, 19_500],
    // One process may hold 20,000 files: the attempt shows where each server stops.
    attempt: 20_000,
    relayClients: 10_000,
    rates: [2000, 5000],
    // Sustained, as a deployment sees it: a warm-up at the rate (JIT, heap grown, first major
    // GCs), then a 20 s window, twice per target (rounds alternate the targets).
    seconds: 20,
    warmupSeconds: 5,
    rounds: 2,
    variants: true,
  },
  quick: {
    idle: [1000],
    attempt: null,
    relayClients: 400,
    // Each socket stays under Duet's default 20 messages/s at these rates.
    rates: [500, 1000],
    seconds: 2,
    warmupSeconds: 0.5,
    rounds: 1,
    variants: false,
  },
}

/**
 * How relays are generated, in every relay measurement: two generator processes (each holds
 * whole rooms, so both ends of a relay share one clock), relays of ~700 B, and, on a machine
 * with two cores, the server alone on core 0 and the generators on core 1, so the server gets
 * one core and no more, as on a deployment where it shares nothing.
 */
export const RELAY_METHOD = {
  generators: 2,
  frameBytes: 700,
  serverCpu: 0,
  generatorCpu: 1,
}

/**
 * Share of the last 10 s in which some runnable task waited for a CPU (Linux PSI), in %; null
 * where the kernel does not report it. Near 100, other work was competing for the cores.
 */
function cpuPressure() {
  try {
    const match = /some avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'))
    return match ? Number(match[1]) : null
  } catch {
    return null
  }
}

/** Starts one server under test with the probe preloaded; resolves once it listens. */
export async function startServer(name, { redis, args, nodeArgs = [], cpu } = {}) {
  const port = await freePort()
  const { script, args: argv } = SERVER_TARGETS[name].command(port, { redis, args })
  const server = startChild({
    name,
    nodeArgs: ['--expose-gc', '--import', PROBE, ...nodeArgs],
    script,
    args: argv,
    readyPattern: /listening/,
    cpu,
  })
  await server.ready
  return { ...server, url: `http://127.0.0.1:${port}` }
}

async function startLoadgen(cpu) {
  const loadgen = startChild({ name: 'loadgen', script: LOADGEN, cpu })
  await loadgen.ready
  return loadgen
}

const memoryOf = async (server) => {
  const { heapUsed } = await server.request({ type: 'memory' })
  return { rss: rssBytes(server.pid), heapUsed }
}

function perSocket(base, now, sockets) {
  return {
    sockets,
    rssMB: round(now.rss / MB),
    heapMB: round(now.heapUsed / MB),
    rssPerSocketKB: round((now.rss - base.rss) / 1024 / sockets, 2),
    heapPerSocketKB: round((now.heapUsed - base.heapUsed) / 1024 / sockets, 2),
  }
}

// A generator process holds at most this many sockets: it has an open-file limit of its own.
const PER_GENERATOR = 10_000

/** Idle memory at each count, then how many sockets one process takes before it refuses. */
async function idleSockets(name, plan, log) {
  const server = await startServer(name)
  const gens = []
  let connected = 0
  let firstError = null
  // Adds sockets (whole rooms of two), filling the last generator before starting another.
  async function add(count) {
    let left = count
    while (left > 0) {
      let gen = gens.at(-1)
      if (!gen || gen.held >= PER_GENERATOR) {
        gen = Object.assign(await startLoadgen(), { held: 0 })
        gens.push(gen)
      }
      const n = Math.min(left, PER_GENERATOR - gen.held)
      const step = await gen.request(
        {
          type: 'connect',
          target: SERVER_TARGETS[name].protocol,
          urls: [server.url],
          count: n,
          offset: gens.length * PER_GENERATOR + gen.held,
          // PeerJS registers each client in O(clients): filling it slows down; bound the wait.
          deadlineMs: 60_000,
        },
        300_000,
      )
      gen.held += n
      left -= n
      connected += step.connected
      firstError ??= step.firstError
    }
  }
  try {
    const base = await memoryOf(server)
    const points = []
    for (const count of plan.idle) {
      const started = performance.now()
      await add(count - connected)
      const seconds = round((performance.now() - started) / 1000)
      await sleep(1000)
      const point = {
        ...perSocket(base, await memoryOf(server), connected),
        connectSeconds: seconds,
      }
      log(`  ${name}: ${connected} idle sockets → RSS ${point.rssMB} MB, heap ${point.heapMB} MB`)
      points.push(point)
    }
    let attempt = null
    if (plan.attempt) {
      await add(plan.attempt - connected)
      const alive = server.child.exitCode === null
      const counts = await Promise.all(gens.map((g) => g.request({ type: 'count' })))
      const open = counts.reduce((a, r) => a + r.open, 0)
      attempt = { tried: plan.attempt, open, serverAlive: alive, firstError }
      if (alive) Object.assign(attempt, perSocket(base, await memoryOf(server), open))
      log(
        `  ${name}: tried ${plan.attempt} → ${open} open, server ${alive ? 'up' : 'DOWN'}` +
          (firstError ? ` (first error: ${firstError})` : ''),
      )
    }
    const baseline = { rssMB: round(base.rss / MB), heapMB: round(base.heapUsed / MB) }
    return { baseline, points, attempt }
  } finally {
    await Promise.all(gens.map((g) => g.request({ type: 'close' }).catch(() => {})))
    await Promise.all(gens.map((g) => g.stop()))
    await server.stop()
  }
}

/**
 * One relay measurement on already connected clients: a warm-up at the rate, then `seconds` at
 * `rate` split over the generators, with the CPU of every server process and, from inside
 * them, GC pauses and the longest event-loop stall of the window.
 */
async function measureRelay(servers, gens, rate, plan) {
  const each = { type: 'relay', rate: rate / gens.length, frameBytes: RELAY_METHOD.frameBytes }
  await Promise.all(
    gens.map((g) => g.request({ ...each, seconds: plan.warmupSeconds, keep: false }, 120_000)),
  )
  await Promise.all(servers.map((s) => s.request({ type: 'resetGc' })))
  const before = servers.map((s) => cpuSeconds(s.pid))
  const started = performance.now()
  const parts = await Promise.all(
    gens.map((g) => g.request({ ...each, seconds: plan.seconds }, 120_000)),
  )
  const elapsed = (performance.now() - started) / 1000
  const cpu = servers.map((s, i) => (cpuSeconds(s.pid) - before[i]) / elapsed)
  const gc = await Promise.all(servers.map((s) => s.request({ type: 'gcStats' })))
  const sum = (key) => parts.reduce((a, part) => a + part[key], 0)
  const latency = summarize(parts.flatMap((part) => part.latencies))
  return {
    rate,
    seconds: plan.seconds,
    frameBytes: parts[0].frameBytes,
    sent: sum('sent'),
    lost: sum('lost'),
    ackErrors: sum('ackErrors'),
    achievedRate: round(sum('achievedRate')),
    p50: latency.p50,
    p99: latency.p99,
    p999: latency.p999,
    max: latency.max,
    // Share of one core, summed over the nodes.
    serverCpu: round(
      cpu.reduce((a, b) => a + b, 0),
      3,
    ),
    // CPU time per delivered relay over the window and its stragglers: what one relay costs,
    // which holds up on a busy machine better than latency does (time waiting for a core is
    // not CPU time).
    serverCpuUsPerRelay: round(
      (cpu.reduce((a, b) => a + b, 0) * elapsed * 1e6) / Math.max(1, sum('sent') - sum('lost')),
    ),
    serverHeapMB: round(Math.max(...gc.map((g) => g.heapUsed)) / MB),
    majorGcs: gc.reduce((a, g) => a + g.majorCount, 0),
    // Young-generation collections: how much the server allocates per relay, in effect.
    minorGcs: gc.reduce((a, g) => a + g.minorCount, 0),
    // Moved from the young generation to the old one per second, summed over the nodes: the
    // pace at which old space fills towards its next major GC.
    promotedMBPerSecond: gc.every((g) => g.promotedBytesPerSecond != null)
      ? round(gc.reduce((a, g) => a + g.promotedBytesPerSecond, 0) / MB, 2)
      : null,
    maxGcPauseMs: round(Math.max(...gc.map((g) => g.maxPauseMs))),
    gcPauseTotalMs: round(gc.reduce((a, g) => a + g.totalPauseMs, 0)),
    serverLoopDelayP99Ms: round(Math.max(...gc.map((g) => g.loopDelayP99Ms))),
    // The longest the server's event loop was blocked in the window: every relay that arrived
    // meanwhile waited at least that long.
    serverLongestStallMs: round(Math.max(...gc.map((g) => g.loopDelayMaxMs))),
    // A starved generator reads late, which shows as latency of every target alike: a figure
    // with a long generator stall or a high CPU pressure says more about the machine.
    generatorLoopDelayMaxMs: round(Math.max(...parts.map((p) => p.generator.loopDelayMaxMs))),
    machineCpuPressure: cpuPressure(),
  }
}

/**
 * Relay latency at each rate on `relayClients` sockets, on one node or on two sharing a Redis,
 * measured as RELAY_METHOD says. `pin` is false on a machine where cores cannot be pinned.
 */
export async function relayLatency(
  name,
  plan,
  { nodes = 1, args, nodeArgs, protocol, log, pin = true },
) {
  // Redis is not pinned: it is not what is measured, and its CPU is reported on its own.
  const redis = nodes > 1 ? await startRedis() : null
  const servers = []
  const gens = []
  const serverCpu = pin ? RELAY_METHOD.serverCpu : undefined
  const generatorCpu = pin ? RELAY_METHOD.generatorCpu : undefined
  try {
    for (let i = 0; i < nodes; i++) {
      servers.push(await startServer(name, { redis: redis?.url, args, nodeArgs, cpu: serverCpu }))
    }
    const before = await memoryOf(servers[0])
    for (let i = 0; i < RELAY_METHOD.generators; i++) gens.push(await startLoadgen(generatorCpu))
    const urls = servers.map((s) => s.url)
    const share = Math.floor(plan.relayClients / gens.length / 2) * 2
    const setups = await Promise.all(
      gens.map((gen, i) =>
        gen.request(
          {
            type: 'connect',
            target: protocol ?? SERVER_TARGETS[name].protocol,
            urls,
            count: share,
            offset: i * share,
          },
          300_000,
        ),
      ),
    )
    const connected = setups.reduce((a, setup) => a + setup.connected, 0)
    if (connected < share * gens.length * 0.99) {
      const error = setups.find((setup) => setup.firstError)?.firstError
      throw new Error(`${name}: only ${connected}/${share * gens.length} connected: ${error}`)
    }
    // Memory of the first node with every socket connected and idle, before any relay.
    const idle = perSocket(before, await memoryOf(servers[0]), connected / nodes)
    const runs = []
    for (const rate of plan.rates) {
      const redisBefore = redis ? cpuSeconds(redis.pid) : 0
      const started = performance.now()
      const run = await measureRelay(servers, gens, rate, plan)
      if (redis) {
        run.redisCpu = round(
          (cpuSeconds(redis.pid) - redisBefore) / ((performance.now() - started) / 1000),
          3,
        )
      }
      log(
        `  ${name}${nodes > 1 ? ' ×2+redis' : ''}${args ? ` ${args.join(' ')}` : ''}${nodeArgs ? ` node ${nodeArgs.join(' ')}` : ''}: ` +
          `${connected} sockets × ${rate}/s (${run.frameBytes} B) → p50 ${run.p50} p99 ${run.p99} p99.9 ${run.p999} max ${run.max} ms, ` +
          `CPU ${Math.round(run.serverCpu * 100)}% (${run.serverCpuUsPerRelay} µs/relay), longest stall ${run.serverLongestStallMs} ms, heap ${run.serverHeapMB} MB, ` +
          `${run.minorGcs} minor / ${run.majorGcs} major GCs (max pause ${run.maxGcPauseMs} ms), promoted ${run.promotedMBPerSecond ?? '?'} MB/s, lost ${run.lost}, ack errors ${run.ackErrors}; ` +
          `generator stall ${run.generatorLoopDelayMaxMs} ms, machine CPU pressure ${run.machineCpuPressure ?? '?'}%`,
      )
      runs.push(run)
    }
    return { sockets: connected, nodes, idle, runs }
  } finally {
    await Promise.all(gens.map((g) => g.request({ type: 'close' }).catch(() => {})))
    await Promise.all(gens.map((g) => g.stop()))
    await Promise.all(servers.map((s) => s.stop()))
    await redis?.stop()
  }
}

/**
 * Settings to try on a Socket.io server, each alone, at 10k sockets × 2k relays/s: which of
 * them shortens the latency tail (GC pauses) and which costs memory or CPU.
 */
export const VARIANTS = [
  {
    target: 'relay',
    name: "relay + acks (Duet's protocol, none of its checks)",
    args: ['--ack'],
    // The load generator asks for the acks, as Duet's clients do.
    protocol: 'relayAcked',
  },
  {
    target: 'relay',
    name: 'relay, node --max-semi-space-size=64',
    nodeArgs: ['--max-semi-space-size=64'],
  },
  {
    target: 'duet',
    name: 'duet --recovery-window 30s (Socket.io connection state recovery on, the old default)',
    args: ['--recovery-window', '30s'],
  },
  { target: 'duet', name: 'duet --rate-limit off', args: ['--rate-limit', 'off'] },
]

/** The whole server part; `log` prints progress lines. */
export async function runServerBench({ quick, log }) {
  const plan = quick ? SERVER_PLAN.quick : SERVER_PLAN.full
  const pin = canPin(cpus().length)
  if (!pin) log("! cannot pin processes to cores here: the server shares the machine's cores")
  const result = {
    plan: { ...plan, method: { ...RELAY_METHOD, pinned: pin } },
    idle: {},
    relay: {},
    relayRounds: [],
    redis: {},
    variants: [],
  }
  const names = Object.keys(SERVER_TARGETS)
  for (const name of names) {
    log(`server: ${SERVER_TARGETS[name].label}, idle sockets`)
    result.idle[name] = await idleSockets(name, plan, log)
  }
  if (!quick) {
    // Not counted, as the call part's first calls: whichever target went first paid for the
    // machine settling after the browser part (up to 10 points of CPU and a longer tail).
    log('server: warm-up run (not counted)')
    await relayLatency('relay', { ...plan, rates: [2000], seconds: 5 }, { log: () => {}, pin })
  }
  // Rounds alternate the targets, so a spell of other work on the machine does not land on one
  // target only; the tables show every round.
  for (let round = 0; round < plan.rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse()
    const runs = {}
    for (const name of order) {
      log(`server: relay, round ${round + 1}: ${SERVER_TARGETS[name].label}`)
      runs[name] = await relayLatency(name, plan, { log, pin })
    }
    result.relayRounds.push(runs)
  }
  result.relay = result.relayRounds[0]
  for (const name of names) {
    if (SERVER_TARGETS[name].redis && !quick) {
      log(`server: ${SERVER_TARGETS[name].label}, two nodes`)
      result.redis[name] = await relayLatency(name, plan, { nodes: 2, log, pin })
    }
  }
  if (plan.variants) {
    const variantPlan = { ...plan, rates: [2000] }
    for (const variant of VARIANTS) {
      const run = await relayLatency(variant.target, variantPlan, { ...variant, log, pin })
      result.variants.push({ ...variant, idle: run.idle, ...run.runs[0] })
    }
  }
  return result
}
