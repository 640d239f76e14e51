// Signaling servers under load: idle sockets (memory), relay latency with server CPU, and the
// same relay over two nodes sharing a Redis. Every server and every load generator is its own
// process, each with its own open-file limit; everything talks over 127.0.0.1 only.
import { join } from 'node:path'
import { cpuSeconds, freePort, rssBytes, sleep, startChild } from '../lib/proc.mjs'
import { round } from '../lib/stats.mjs'
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
    // A Socket.io heap fills with promoted garbage at ~3 MB/s at 2000 relays/s: 20 s usually
    // holds a full GC or two (see the major GC count next to each result).
    seconds: 20,
    warmupSeconds: 3,
    variants: true,
  },
  quick: {
    idle: [1000],
    attempt: null,
    relayClients: 1000,
    rates: [2000, 5000],
    seconds: 1,
    warmupSeconds: 0.5,
    variants: false,
  },
}

/** Starts one server under test with the probe preloaded; resolves once it listens. */
export async function startServer(name, { redis, args, nodeArgs = [] } = {}) {
  const port = await freePort()
  const { script, args: argv } = SERVER_TARGETS[name].command(port, { redis, args })
  const server = startChild({
    name,
    nodeArgs: ['--expose-gc', '--import', PROBE, ...nodeArgs],
    script,
    args: argv,
    readyPattern: /listening/,
  })
  await server.ready
  return { ...server, url: `http://127.0.0.1:${port}` }
}

async function startLoadgen() {
  const loadgen = startChild({ name: 'loadgen', script: LOADGEN })
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
 * One relay measurement on already connected clients: a warm-up, then `seconds` at `rate`,
 * with the CPU of every server process and GC pauses from inside them.
 */
async function measureRelay(servers, gen, rate, plan) {
  await gen.request({ type: 'relay', rate, seconds: plan.warmupSeconds })
  await Promise.all(servers.map((s) => s.request({ type: 'resetGc' })))
  const before = servers.map((s) => cpuSeconds(s.pid))
  const started = performance.now()
  const run = await gen.request({ type: 'relay', rate, seconds: plan.seconds }, 120_000)
  const elapsed = (performance.now() - started) / 1000
  const cpu = servers.map((s, i) => (cpuSeconds(s.pid) - before[i]) / elapsed)
  const gc = await Promise.all(servers.map((s) => s.request({ type: 'gcStats' })))
  return {
    rate,
    seconds: plan.seconds,
    sent: run.sent,
    lost: run.lost,
    ackErrors: run.ackErrors,
    p50: run.latency.p50,
    p99: run.latency.p99,
    p999: run.latency.p999,
    max: run.latency.max,
    // Share of one core, summed over the nodes.
    serverCpu: round(
      cpu.reduce((a, b) => a + b, 0),
      3,
    ),
    serverHeapMB: round(Math.max(...gc.map((g) => g.heapUsed)) / MB),
    majorGcs: gc.reduce((a, g) => a + g.majorCount, 0),
    maxGcPauseMs: round(Math.max(...gc.map((g) => g.maxPauseMs))),
    serverLoopDelayP99Ms: round(Math.max(...gc.map((g) => g.loopDelayP99Ms))),
    generatorLoopDelayP99Ms: round(run.generator.loopDelayP99Ms),
  }
}

/** Relay latency at each rate on `clients` sockets, on one node or on two sharing a Redis. */
export async function relayLatency(name, plan, { nodes = 1, args, nodeArgs, protocol, log }) {
  const redis = nodes > 1 ? await startRedis() : null
  const servers = []
  let gen = null
  try {
    for (let i = 0; i < nodes; i++) {
      servers.push(await startServer(name, { redis: redis?.url, args, nodeArgs }))
    }
    const before = await memoryOf(servers[0])
    gen = await startLoadgen()
    const urls = servers.map((s) => s.url)
    const setup = await gen.request(
      {
        type: 'connect',
        target: protocol ?? SERVER_TARGETS[name].protocol,
        urls,
        count: plan.relayClients,
      },
      300_000,
    )
    if (setup.connected < plan.relayClients * 0.99) {
      throw new Error(
        `${name}: only ${setup.connected}/${plan.relayClients} connected: ${setup.firstError}`,
      )
    }
    // Memory of the first node with every socket connected and idle, before any relay.
    const idle = perSocket(before, await memoryOf(servers[0]), setup.connected / nodes)
    const runs = []
    for (const rate of plan.rates) {
      const redisBefore = redis ? cpuSeconds(redis.pid) : 0
      const started = performance.now()
      const run = await measureRelay(servers, gen, rate, plan)
      if (redis) {
        run.redisCpu = round(
          (cpuSeconds(redis.pid) - redisBefore) / ((performance.now() - started) / 1000),
          3,
        )
      }
      log(
        `  ${name}${nodes > 1 ? ' ×2+redis' : ''}${args ? ` ${args.join(' ')}` : ''}${nodeArgs ? ` node ${nodeArgs.join(' ')}` : ''}: ` +
          `${setup.connected} sockets × ${rate}/s → p50 ${run.p50} p99 ${run.p99} p99.9 ${run.p999} ms, ` +
          `CPU ${Math.round(run.serverCpu * 100)}%, heap ${run.serverHeapMB} MB, ${run.majorGcs} major GCs (max pause ${run.maxGcPauseMs} ms), lost ${run.lost}`,
      )
      runs.push(run)
    }
    return { sockets: setup.connected, nodes, idle, runs }
  } finally {
    if (gen) {
      await gen.request({ type: 'close' }).catch(() => {})
      await gen.stop()
    }
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
  const result = { plan, idle: {}, relay: {}, redis: {}, variants: [] }
  if (!quick) {
    // Not counted, as the call part's first calls: whichever target went first paid for the
    // machine settling after the browser part (up to 10 points of CPU and a longer tail).
    log('server: warm-up run (not counted)')
    await relayLatency('relay', { ...plan, rates: [2000], seconds: 5 }, { log: () => {} })
  }
  for (const name of Object.keys(SERVER_TARGETS)) {
    log(`server: ${SERVER_TARGETS[name].label}`)
    result.idle[name] = await idleSockets(name, plan, log)
    result.relay[name] = await relayLatency(name, plan, { log })
    if (SERVER_TARGETS[name].redis) {
      result.redis[name] = await relayLatency(name, plan, { nodes: 2, log })
    }
  }
  if (plan.variants) {
    const variantPlan = { ...plan, rates: [2000] }
    for (const variant of VARIANTS) {
      const run = await relayLatency(variant.target, variantPlan, { ...variant, log })
      result.variants.push({ ...variant, idle: run.idle, ...run.runs[0] })
    }
  }
  return result
}
