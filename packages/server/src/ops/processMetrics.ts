import { collectDefaultMetrics, Registry } from 'prom-client'

let shared: Registry | undefined

/**
 * prom-client's default metrics (CPU, memory, heap spaces, event-loop lag, GC, handles, file
 * descriptors) in a registry of their own, made once per process: they describe the process, not
 * one server, and each collection starts an event-loop monitor and a GC observer that are never
 * stopped, so a process that starts many servers (tests, one per room shard) must not add more.
 */
export function processMetrics(): Registry {
  if (shared) return shared
  shared = new Registry()
  collectDefaultMetrics({ register: shared })
  return shared
}
