// Bundle size, min+gzip, every target through one esbuild configuration: what an app adds to
// its bundle for each library. Duet is measured from the packages' published output (dist).
import { readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { compile, compileModule } from 'svelte/compiler'

const here = import.meta.dirname

/**
 * `code` is the app's entry; `external` is what the app has anyway (the framework, and core
 * for the bindings: those are measured on their own). `goalBytes` as issue 8 sets them.
 */
export const BUNDLE_TARGETS = [
  {
    name: 'duetCore',
    label: '@duet/core + xstate (whole API of the main entry)',
    code: "export * from '@duet/core'",
    goalBytes: 32 * 1024,
    breakdown: true,
  },
  {
    name: 'duetCoreCall',
    label: '@duet/core, a call only (createCall, connectCall)',
    code: "export { createCall, connectCall } from '@duet/core'",
  },
  {
    name: 'duetDepsFloor',
    label: 'floor: the xstate functions core uses',
    code:
      'export { assign, createActor, emit, enqueueActions, fromCallback, sendParent, sendTo, ' +
      "setup, spawnChild } from 'xstate'",
    // Resolved from core, whose dependencies these are.
    resolveDir: 'packages/core/src',
  },
  // The subpaths a call does not need, each on its own: what an app adds by importing it.
  {
    name: 'duetCoreDiagram',
    label: '@duet/core/diagram (subpath: toMermaid, toTransitionTable, toMarkdownTable)',
    code: "export * from '@duet/core/diagram'",
  },
  {
    name: 'duetCoreProtocol',
    label: '@duet/core/protocol (subpath: wire contract and validators)',
    code: "export * from '@duet/core/protocol'",
  },
  {
    name: 'duetVue',
    label: '@duet/vue (without core and vue)',
    code: "export * from '@duet/vue'",
    external: ['@duet/core', 'vue'],
    goalBytes: 2 * 1024,
  },
  {
    name: 'duetSvelte',
    label: '@duet/svelte (without core and svelte)',
    code: "export * from '@duet/svelte'",
    external: ['@duet/core', 'svelte', 'svelte/*'],
    goalBytes: 2 * 1024,
  },
  { name: 'peerjs', label: 'peerjs', code: "export * from 'peerjs'", anchor: true },
  {
    name: 'simplePeer',
    label: 'simple-peer (its browser build: Node stream/buffer shims included)',
    // Its package entry needs Node's stream, events and buffer: a bundler must shim them, and
    // the package's own browser build is that, done by its authors.
    code: "export { default } from 'simple-peer/simplepeer.min.js'",
    anchor: true,
  },
]

/** Compiles Svelte components and rune modules for the browser, as an app's build would. */
const sveltePlugin = {
  name: 'svelte',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.svelte$/ }, async ({ path }) => ({
      contents: compile(await readFile(path, 'utf8'), { filename: path, generate: 'client' }).js
        .code,
      loader: 'js',
    }))
    pluginBuild.onLoad({ filter: /\.svelte\.js$/ }, async ({ path }) => ({
      contents: compileModule(await readFile(path, 'utf8'), { filename: path, generate: 'client' })
        .js.code,
      loader: 'js',
    }))
  },
}

async function measure(target) {
  const result = await build({
    stdin: {
      contents: target.code,
      resolveDir: target.resolveDir ? join(here, '../../..', target.resolveDir) : here,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // What app bundlers resolve (Vite's defaults), plus Svelte's own condition for its packages.
    conditions: ['module', 'svelte', 'production'],
    external: target.external ?? [],
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    legalComments: 'none',
    plugins: [sveltePlugin],
    write: false,
    // As an app's bundler does (Vite, Rollup): what a library imports lazily becomes a chunk of
    // its own, loaded when used. The size is what the page loads up front; lazy chunks apart.
    splitting: true,
    outdir: OUT_DIR,
    metafile: true,
    logLevel: 'silent',
  })
  const { initial, lazy } = splitOutputs(result)
  const size = {
    minBytes: initial.reduce((sum, file) => sum + file.contents.length, 0),
    gzipBytes: gzipOf(initial),
    lazyGzipBytes: lazy.length > 0 ? gzipOf(lazy) : 0,
  }
  if (target.breakdown) size.minBytesByPackage = byPackage(result.metafile, initial)
  return size
}

const OUT_DIR = join(here, 'out')

const gzipOf = (files) =>
  gzipSync(Buffer.concat(files.map((file) => file.contents)), { level: 9 }).length

/** The entry and what it imports statically (loaded up front), and the rest (loaded when used). */
function splitOutputs(result) {
  const outputs = result.metafile.outputs
  const key = (path) => relative(process.cwd(), path)
  const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint)
  const initial = new Set()
  const visit = (path) => {
    if (initial.has(path)) return
    initial.add(path)
    for (const { path: imported, kind } of outputs[path].imports) {
      if (kind === 'import-statement' && outputs[imported]) visit(imported)
    }
  }
  visit(entry)
  const files = result.outputFiles.filter((file) => outputs[key(file.path)])
  return {
    initial: files.filter((file) => initial.has(key(file.path))),
    lazy: files.filter((file) => !initial.has(key(file.path))),
  }
}

/** Minified bytes loaded up front per package (pnpm paths reduced to the package name). */
function byPackage(metafile, initialFiles) {
  const totals = {}
  const initial = new Set(initialFiles.map((file) => relative(process.cwd(), file.path)))
  const inputs = Object.entries(metafile.outputs)
    .filter(([path]) => initial.has(path))
    .flatMap(([, output]) => Object.entries(output.inputs))
  for (const [path, { bytesInOutput }] of inputs) {
    const inModules = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)
    const name = inModules ? inModules[1] : (/packages\/(\w+)\//.exec(path)?.[1] ?? path)
    const key = inModules ? name : `@duet/${name}`
    totals[key] = (totals[key] ?? 0) + bytesInOutput
  }
  return Object.fromEntries(
    Object.entries(totals)
      .sort((a, b) => b[1] - a[1])
      .filter(([, n]) => n > 0),
  )
}

/** The whole bundle part. */
export async function runBundleSize({ log }) {
  const results = {}
  for (const target of BUNDLE_TARGETS) {
    const size = await measure(target)
    const goal = target.goalBytes ?? null
    results[target.name] = {
      label: target.label,
      anchor: Boolean(target.anchor),
      ...size,
      goalBytes: goal,
      meetsGoal: goal === null ? null : size.gzipBytes <= goal,
    }
    log(
      `  ${target.name}: ${(size.gzipBytes / 1024).toFixed(1)} KB min+gzip` +
        (size.lazyGzipBytes
          ? ` (+ ${(size.lazyGzipBytes / 1024).toFixed(1)} KB loaded when used)`
          : ''),
    )
  }
  return results
}
