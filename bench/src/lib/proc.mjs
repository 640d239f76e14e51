import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

/** A free TCP port on 127.0.0.1 (bind to 0, read it, release it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** User + system CPU time of a process so far, in seconds (from /proc/<pid>/stat). */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) may hold spaces; fields are counted after its closing paren.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** Resident set size of a process in bytes (VmRSS of /proc/<pid>/status). */
export function rssBytes(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) * 1024 : null
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A Node child process we talk to over IPC with request/response messages ({ id, ... } both
 * ways). `ready` resolves on the first stdout chunk matching `readyPattern`, or on a
 * `{ ready: true }` message. With `cpu`, the process runs on that core only.
 */
export function startChild({ name, nodeArgs = [], script, args = [], env, readyPattern, cpu }) {
  const timeoutMs = 20_000
  const argv = [process.execPath, ...nodeArgs, script, ...args]
  // `taskset` and `nice` exec node in their own place (same pid), so every thread node starts,
  // V8's GC helpers included, stays on that core at that priority. The raised priority keeps
  // other work on a shared machine (builds, tests) from taking the pinned core's time.
  const [command, ...commandArgs] =
    cpu === undefined ? argv : ['taskset', '-c', String(cpu), ...priority(), ...argv]
  const child = spawn(command, commandArgs, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let output = ''
  const remember = (chunk) => {
    output = (output + chunk).slice(-4000)
  }
  child.stderr.on('data', remember)
  let nextId = 0
  const pending = new Map()
  child.on('message', (message) => {
    const entry = pending.get(message?.id)
    if (!entry) return
    pending.delete(message.id)
    if (message.error) entry.reject(new Error(`${name}: ${message.error}`))
    else entry.resolve(message)
  })
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  exited.then(({ code, signal }) => {
    for (const entry of pending.values()) {
      entry.reject(new Error(`${name} exited (${code ?? signal}) during a request\n${output}`))
    }
    pending.clear()
  })
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} not ready after ${timeoutMs} ms\n${output}`)),
      timeoutMs,
    )
    const done = (value) => {
      clearTimeout(timer)
      resolve(value)
    }
    child.stdout.on('data', (chunk) => {
      remember(chunk)
      const match = readyPattern && String(chunk).match(readyPattern)
      if (match) done(match)
    })
    child.on('message', (message) => {
      if (message?.ready) done(message)
    })
    exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready\n${output}`))
    })
  })
  return {
    name,
    pid: child.pid,
    child,
    ready,
    exited,
    output: () => output,
    /** Sends a request and waits for the reply with the same id. */
    request(message, requestTimeoutMs = 120_000) {
      const id = ++nextId
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id)
          reject(new Error(`${name}: no answer to ${message.type} in ${requestTimeoutMs} ms`))
        }, requestTimeoutMs)
        const settle = (fn) => (value) => {
          clearTimeout(timer)
          fn(value)
        }
        pending.set(id, { resolve: settle(resolve), reject: settle(reject) })
        child.send({ ...message, id })
      })
    },
    /** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
    async stop(graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Whether processes can be pinned to cores here: two cores at least, and `taskset`. */
export function canPin(cores) {
  return cores >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0
}

const RAISED_NICENESS = '-15'
/** `nice -n -15` where this user may raise a priority (root), else nothing. */
function priority() {
  return process.getuid?.() === 0 ? ['nice', '-n', RAISED_NICENESS] : []
}
