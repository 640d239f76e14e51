// Markdown tables from a results object, written between markers into bench/README.md (all
// tables) and the root README (the summary), so one command regenerates both.
import { readFileSync, writeFileSync } from 'node:fs'
import { PHASES } from './callSetup/callSetup.mjs'

const ms = (x) =>
  x === null || x === undefined ? '—' : x < 10 ? x.toFixed(1) : String(Math.round(x))
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`
const pct = (x) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`)
const met = (ok) => (ok ? 'met' : '**not met**')
const row = (cells) => `| ${cells.join(' | ')} |`
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n')

/** The best (lowest p50) anchor of the call set-up for a metric. */
function bestAnchor(callSetup, metric) {
  const anchors = Object.entries(callSetup).filter(([, t]) => t.anchor && t[metric] !== null)
  anchors.sort((a, b) => a[1][metric] - b[1][metric])
  return anchors[0] ? { name: anchors[0][0], ...anchors[0][1] } : null
}

/** The call set-up tables (exported for a partial run's summary). */
export function callTables(callSetup, calls) {
  const rows = Object.values(callSetup).map((t) => [
    t.anchor ? `${t.label} (anchor)` : t.prototype ? `*${t.label}*` : `**${t.label}**`,
    `${ms(t.connectedP50)} / ${ms(t.connectedP95)}`,
    `${ms(t.firstFrameP50)} / ${ms(t.firstFrameP95)}`,
    t.pageToFrameP50 === null ? '—' : `${ms(t.pageToFrameP50)} / ${ms(t.pageToFrameP95)}`,
    t.pageToBothFramesP50 == null
      ? '—'
      : `${ms(t.pageToBothFramesP50)} / ${ms(t.pageToBothFramesP95)}`,
    t.pageToJoinEnabledP50 == null
      ? '—'
      : `${ms(t.pageToJoinEnabledP50)} / ${ms(t.pageToJoinEnabledP95)}`,
    `${t.ok}/${t.runs}`,
  ])
  const lines = [
    `${calls} calls per target, alternated; ms, p50 / p95. *Connected*: both peers' ` +
      '`connectionState` is `connected`; *first frame*: both peers show a decoded remote frame ' +
      '(`requestVideoFrameCallback`, checked against `framesDecoded`). Both from the second ' +
      "peer's join (for the demo, the click on Join reaching the page); *page open* is the " +
      "second peer's navigation start, to its first remote frame, to both peers showing one, and " +
      '(the demo) to its Join button being enabled. *Group of N* rows: N tabs join one after ' +
      "another; from the last join to every pair of the mesh `connected` and every tab's first " +
      'remote frame.',
    '',
    table(
      [
        'Target',
        'Join → connected',
        'Join → first frame',
        'Page open → first frame',
        'Page open → both decoding',
        'Page open → Join enabled',
        'OK',
      ],
      rows,
    ),
  ]
  const duet = callSetup.duet
  for (const [metric, what] of [
    ['connectedP50', 'connected'],
    ['firstFrameP50', 'first frame'],
  ]) {
    const best = bestAnchor(callSetup, metric)
    if (!duet || !best) continue
    const ratio = duet[metric] / best[metric]
    lines.push(
      '',
      `Goal, ${what}: Duet p50 ≤ 0.8 × the best anchor (${best.label}, ${ms(best[metric])} ms) = ` +
        `${ms(0.8 * best[metric])} ms. Measured: ${ms(duet[metric])} ms (${ratio.toFixed(2)}×), ` +
        `${ratio <= 0.8 ? '**met**' : '**not met**'}.`,
    )
  }
  lines.push(...demoGoals(callSetup))
  const shown = ['duet', 'tutorial', 'peerjs', 'demoVue', 'demoSvelteSettled'].filter(
    (name) => callSetup[name],
  )
  const phaseRows = PHASES.filter((phase) =>
    shown.some((name) =>
      ['a', 'b'].some((side) => callSetup[name].timeline[side][phase] !== undefined),
    ),
  ).map((phase) => [
    `\`${phase}\``,
    ...shown.flatMap((name) => ['a', 'b'].map((side) => ms(callSetup[name].timeline[side][phase]))),
  ])
  lines.push(
    '',
    'Where the milliseconds go: median time of each phase after the join (ms; negative: before ' +
      'it), per page. *A* was in the room first, *B* joins. Who offers differs: Duet and PeerJS ' +
      'have the joiner (B) offer, the tutorial has the room creator (A) offer.',
    '',
    table(['Phase', ...shown.flatMap((name) => [`${name} A`, `${name} B`])], phaseRows),
    '',
    '*demoVue* is the Vue room page with Join clicked as soon as it is enabled (the camera still ' +
      'starting), *demoSvelteSettled* the Svelte one clicked 1.5 s later; `joinEnabled` and `ready` ' +
      '(the preview shows) come before the click there.',
  )
  return lines.join('\n')
}

/** The demo's goals: ≤ 1.1 × the bare core page, and page open → both decoding ≤ 0.8 × PeerJS. */
function demoGoals(callSetup) {
  const { duet, peerjs } = callSetup
  const lines = []
  for (const name of ['demoVue', 'demoSvelte', 'demoVueSettled', 'demoSvelteSettled']) {
    const demo = callSetup[name]
    if (!demo || !duet) continue
    const over = demo.firstFrameP50 / duet.firstFrameP50
    lines.push(
      '',
      `Goal, ${demo.label}: click → both first frame ≤ 1.1 × the core page (${ms(duet.firstFrameP50)} ms). ` +
        `Measured: ${ms(demo.firstFrameP50)} ms (${over.toFixed(2)}×), ${over <= 1.1 ? '**met**' : '**not met**'}.`,
    )
    if (peerjs?.pageToBothFramesP50 && !demo.label.includes('after')) {
      const ratio = demo.pageToBothFramesP50 / peerjs.pageToBothFramesP50
      lines.push(
        `Page open → both decoding ≤ 0.8 × PeerJS's (${ms(peerjs.pageToBothFramesP50)} ms). ` +
          `Measured: ${ms(demo.pageToBothFramesP50)} ms (${ratio.toFixed(2)}×), ` +
          `${ratio <= 0.8 ? '**met**' : '**not met**'}.`,
      )
    }
  }
  return lines
}

function serverTables(server, plan) {
  const lines = []
  const idleRows = Object.entries(server.idle).map(([name, idle]) => {
    const cells = [name, `${ms(idle.baseline.rssMB)} MB`]
    for (const point of idle.points) {
      cells.push(
        `${ms(point.rssMB)} MB RSS (${point.rssPerSocketKB} KB/socket), ` +
          `heap ${ms(point.heapMB)} MB (${point.heapPerSocketKB} KB/socket)`,
      )
    }
    const attempt = idle.attempt
    cells.push(
      attempt
        ? `${attempt.open} open${attempt.serverAlive ? `, ${ms(attempt.rssMB)} MB RSS` : ', server died'}`
        : '—',
    )
    return cells
  })
  lines.push(
    'Idle sockets, each in a room of two (joined, as in a call), one server process; memory ' +
      'after a full GC. Per socket = (value − baseline) / sockets.',
    '',
    table(
      [
        'Server',
        'Baseline RSS',
        ...plan.idle.map((n) => `${n} sockets`),
        `${plan.attempt ?? '—'} tried (limit: 20,000 open files per process)`,
      ],
      idleRows,
    ),
  )
  const relayRow = (label, nodes, run) => [
    label,
    String(nodes),
    `${run.rate}/s`,
    ms(run.p50),
    ms(run.p99),
    ms(run.p999),
    pct(run.serverCpu),
    run.serverLongestStallMs === undefined ? '—' : `${ms(run.serverLongestStallMs)} ms`,
    `${ms(run.serverHeapMB)} MB`,
    `${run.majorGcs} (${ms(run.maxGcPauseMs)} ms)`,
    run.promotedMBPerSecond == null ? '—' : `${run.promotedMBPerSecond} MB/s`,
    String(run.lost + (run.ackErrors ?? 0)),
    run.machineCpuPressure == null ? '—' : `${ms(run.machineCpuPressure)}%`,
  ]
  const head = [
    'Server',
    'Nodes',
    'Relays',
    'p50',
    'p99',
    'p99.9',
    'Server CPU',
    'Longest stall',
    'Heap',
    'Major GCs (longest pause)',
    'Promoted to old space',
    'Lost / refused',
    'CPU pressure',
  ]
  const rounds = server.relayRounds ?? [server.relay]
  const relayRows = []
  rounds.forEach((round, i) => {
    for (const [name, result] of Object.entries(round)) {
      const label = rounds.length > 1 ? `${name}, run ${i + 1}` : name
      for (const run of result.runs) relayRows.push(relayRow(label, 1, run))
    }
  })
  for (const [name, result] of Object.entries(server.redis)) {
    for (const run of result.runs) relayRows.push(relayRow(name, 2, run))
  }
  const method = plan.method
  lines.push(
    '',
    `Relay, one way (sender → server → receiver, ms), ${plan.relayClients} sockets in rooms of ` +
      `two, relays of ${method?.frameBytes ?? '~100'} B sent open loop at a steady rate by ` +
      `${method?.generators ?? 1} generator processes, ${plan.seconds} s per rate after a ` +
      `${plan.warmupSeconds} s warm-up at that rate; ` +
      (method?.pinned
        ? `the server alone on core ${method.serverCpu}, the generators on core ${method.generatorCpu}. `
        : 'processes not pinned to cores. ') +
      'CPU: share of one core, summed over nodes (Redis not included). Longest stall: the ' +
      "longest the server's event loop was blocked in the window. CPU pressure: share of the " +
      "window's last 10 s in which some task waited for a core (Linux PSI): near 100%, other " +
      'work on the machine competed with the bench and the row says more about the machine. ' +
      'Promoted to old space: what outlived the young generation per second; old space filling ' +
      'up is what brings on a major GC, and marking the whole live heap (see the idle heap per ' +
      'socket above) on the one server core is the longest stall a relay waits behind. ' +
      'Two nodes: the two ends of ' +
      'every room sit on different nodes, so every relay crosses Redis (both nodes on the one ' +
      'server core).',
    '',
    table(head, relayRows),
  )
  const duet = server.relay.duet?.runs
  const bare = server.relay.relay?.runs
  if (duet && bare) {
    const overheads = duet.map(
      (run, i) => `${pct(run.serverCpu / bare[i].serverCpu - 1)} at ${run.rate}/s`,
    )
    lines.push(
      '',
      `CPU of @duet/server over the bare relay: ${overheads.join(', ')} (goal: ≤ 10%).`,
    )
    const same = server.variants.find((v) => v.target === 'relay' && v.args?.includes('--ack'))
    const duet2k = duet.find((run) => run.rate === same?.rate)
    if (same && duet2k) {
      lines.push(
        `Over the bare relay doing the same protocol work (an ack for every relay, below, a ` +
          `separate run): ${pct(duet2k.serverCpu / same.serverCpu - 1)} at ${same.rate}/s; that ` +
          "is the cost of Duet's validation, rate limiting, per-socket queue, room store and " +
          'metrics, within the run-to-run noise of a 20 s window here (several points of CPU).',
      )
    }
  }
  if (server.variants.length > 0) {
    lines.push(
      '',
      `Settings, one at a time, at ${plan.relayClients} sockets × 2000 relays/s (fresh server each):`,
      '',
      table(
        head,
        server.variants.map((v) => relayRow(v.name, 1, v)),
      ),
    )
  }
  return lines.join('\n')
}

function healingTable(healing) {
  if (!healing)
    return 'Not measured: cutting the network needs root inside the loopback-only namespace.'
  return [
    'Two pages of Duet in a call (the core page, default healing options); nftables drops every ' +
      'packet between them but signaling for the cut, then lets them through; the cuts follow ' +
      'one another on the same call. From the network coming back to both pages decoding new ' +
      `frames (\`framesDecoded\` grew), ms. The call said \`failed\` at some point: ${healing.saidFailed ? '**yes**' : 'no'}.`,
    '',
    table(
      ['Cut', 'Network back → both decoding, p50', 'Max', 'Never came back'],
      healing.cuts.map((cut) => [
        `${cut.seconds} s × ${cut.cuts}`,
        `**${ms(cut.p50)}**`,
        ms(cut.max),
        `${cut.lost}/${cut.cuts}`,
      ]),
    ),
  ].join('\n')
}

function bundleTable(bundle) {
  return [
    'Min+gzip (gzip -9) of what an app adds, one esbuild configuration for all (ESM, minified, ' +
      'browser, `module` condition, code splitting as app bundlers do): what the page loads up ' +
      'front, and apart what a library loads only when used (file transfer, stats, the audio meter).',
    '',
    table(
      ['Package', 'Minified', 'Min+gzip', 'Loaded when used (min+gzip)', 'Goal'],
      Object.values(bundle).map((b) => [
        b.anchor ? `${b.label} (anchor)` : b.label,
        kb(b.minBytes),
        `**${kb(b.gzipBytes)}**`,
        b.lazyGzipBytes ? kb(b.lazyGzipBytes) : '—',
        b.goalBytes ? `≤ ${kb(b.goalBytes)}: ${b.meetsGoal ? 'met' : 'not met'}` : '',
      ]),
    ),
  ].join('\n')
}

/** All result tables of bench/README.md. */
export function resultsMarkdown(results) {
  const { machine } = results
  return [
    `Run of ${results.date.slice(0, 10)} (\`pnpm bench\`, ${Math.round(results.seconds / 60)} min): ` +
      `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGB} GB, Node ${machine.node}, ` +
      `${machine.browser}, ${machine.loopbackOnly ? 'loopback-only network namespace' : 'host network'}; ` +
      `load average ${machine.loadAverageBefore.toFixed(1)} before, ${machine.loadAverageAfter.toFixed(1)} after.`,
    '',
    '### Call set-up',
    '',
    callTables(results.callSetup, results.plan.callsPerTarget),
    '',
    '### Self-healing',
    '',
    healingTable(results.healing),
    '',
    '### Signaling server',
    '',
    serverTables(results.server, results.plan.server),
    '',
    '### Bundle size',
    '',
    bundleTable(results.bundle),
  ].join('\n')
}

/** The short table of the root README. */
export function summaryMarkdown(results) {
  const { callSetup, server, bundle } = results
  const rows = []
  for (const [metric, what] of [
    ['connectedP50', 'Call set-up, join → both connected (p50)'],
    ['firstFrameP50', 'Call set-up, join → both see video (p50)'],
  ]) {
    const best = bestAnchor(callSetup, metric)
    rows.push([
      what,
      `${ms(callSetup.duet[metric])} ms`,
      `${ms(best[metric])} ms (${best.label})`,
      `≤ ${ms(0.8 * best[metric])} ms: ${met(callSetup.duet[metric] <= 0.8 * best[metric])}`,
    ])
  }
  const demo = callSetup.demoVue
  if (demo?.pageToBothFramesP50 && callSetup.peerjs?.pageToBothFramesP50) {
    const peerjs = callSetup.peerjs.pageToBothFramesP50
    rows.push([
      'Demo (Vue), page open → both see video (p50)',
      `${ms(demo.pageToBothFramesP50)} ms`,
      `${ms(peerjs)} ms (PeerJS page)`,
      `≤ ${ms(0.8 * peerjs)} ms: ${met(demo.pageToBothFramesP50 <= 0.8 * peerjs)}`,
    ])
  }
  for (const cut of results.healing?.cuts ?? []) {
    rows.push([
      `Network back after ${cut.seconds === 8 ? 'an' : 'a'} ${cut.seconds} s cut → both see video again (p50)`,
      `${ms(cut.p50)} ms (max ${ms(cut.max)})`,
      'PeerJS: no ICE restart (the app redoes the call)',
      `back every time: ${met(cut.lost === 0 && !results.healing.saidFailed)}`,
    ])
  }
  const idle = server.idle.duet
  const top = idle.points.at(-1)
  rows.push([
    `Idle sockets on one node`,
    `${top.sockets} in ${ms(top.rssMB)} MB RSS`,
    `PeerJS: ${server.idle.peerjs.points.at(-1).sockets} in ${ms(server.idle.peerjs.points.at(-1).rssMB)} MB`,
    `≥ 19,500 in ≤ 512 MB: ${met(top.sockets >= 19_500 && top.rssMB <= 512)}`,
  ])
  const rounds = server.relayRounds ?? [server.relay]
  for (const rate of server.relay.duet.runs.map((r) => r.rate)) {
    const p99s = (name) =>
      rounds.map((round) => round[name]?.runs.find((r) => r.rate === rate)?.p99 ?? null)
    const range = (values) =>
      values.length > 1
        ? `${ms(Math.min(...values))}–${ms(Math.max(...values))} ms`
        : `${ms(values[0])} ms`
    const duet = p99s('duet')
    const peer = p99s('peerjs')
    rows.push([
      `Relay p99, ${server.relay.duet.sockets} sockets × ${rate}/s (server on one core)`,
      range(duet),
      `PeerJS: ${range(peer)}; bare Socket.io: ${range(p99s('relay'))}`,
      `≤ PeerJS: ${met(duet.every((value, i) => value <= peer[i]))}`,
    ])
  }
  rows.push([
    '`@duet/core` + deps, min+gzip',
    kb(bundle.duetCore.gzipBytes),
    `peerjs: ${kb(bundle.peerjs.gzipBytes)}`,
    `≤ 32 KB: ${met(bundle.duetCore.meetsGoal)}`,
  ])
  rows.push([
    '`@duet/vue` / `@duet/svelte`, min+gzip',
    `${kb(bundle.duetVue.gzipBytes)} / ${kb(bundle.duetSvelte.gzipBytes)}`,
    '',
    `≤ 2 KB each: ${met(bundle.duetVue.meetsGoal && bundle.duetSvelte.meetsGoal)}`,
  ])
  return [
    table(['Measure', 'Duet', 'Best anchor', 'Goal'], rows),
    '',
    `Measured on ${results.date.slice(0, 10)} (${results.machine.cpus} cores, ${results.machine.browser}), ` +
      'all anchors in the same run. Every table, the method and the anchors: ' +
      '[bench/README.md](bench/README.md). Regenerate with `pnpm bench` (~40 min on 2 cores).',
  ].join('\n')
}

function replaceBetween(file, name, content) {
  const text = readFileSync(file, 'utf8')
  const start = `<!-- ${name} -->`
  const end = `<!-- /${name} -->`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from < 0 || to < from) throw new Error(`${file}: markers ${start} … ${end} not found`)
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`)
}

/** Writes the tables into both READMEs, between their markers. */
export function updateReadmes(results, { bench, root }) {
  replaceBetween(bench, 'bench:results', resultsMarkdown(results))
  replaceBetween(root, 'bench:summary', summaryMarkdown(results))
}
