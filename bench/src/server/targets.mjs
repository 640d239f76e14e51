import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const REPO = join(here, '../../..')
const SERVERS = join(here, '../servers')
export const PROBE = join(SERVERS, 'probe.mjs')
// DUET_BENCH_SERVER_CLI measures another build of duet-server (a before/after comparison).
export const DUET_CLI =
  process.env.DUET_BENCH_SERVER_CLI ?? join(REPO, 'packages/server/dist/cli.js')

/**
 * How to start each signaling server under test as its own process. `variant` adds server
 * options (engine settings) or Node flags, to find what keeps a Socket.io relay's tail short.
 */
export const SERVER_TARGETS = {
  duet: {
    label: '@duet/server (CLI, defaults)',
    protocol: 'duet',
    redis: true,
    command: (port, { redis, args = [] }) => ({
      script: DUET_CLI,
      args: [
        ...['--port', String(port), '--host', '127.0.0.1', '--log-level', 'warn'],
        // The load generator is thousands of clients from one address: per-address limits off.
        ...['--max-connections-per-ip', '0', '--join-rate-per-ip', 'off'],
        ...['--rate-limit-per-ip', 'off'],
        // Nodes sharing a Redis must share a resume secret (duet-server refuses to start without).
        ...(redis
          ? ['--redis', redis, '--resume-secret', 'bench-resume-secret-of-at-least-32-bytes']
          : []),
        ...args,
      ],
    }),
  },
  relay: {
    label: 'bare Socket.io relay',
    protocol: 'relay',
    redis: true,
    command: (port, { redis, args = [] }) => ({
      script: join(SERVERS, 'relay.mjs'),
      args: ['--port', String(port), ...(redis ? ['--redis', redis] : []), ...args],
    }),
  },
  peerjs: {
    label: 'PeerJS server (peer)',
    protocol: 'peerjs',
    // PeerJS keeps its clients in one process's memory: it has no way to run as two nodes.
    redis: false,
    command: (port) => ({
      script: join(SERVERS, 'peerServer.mjs'),
      args: ['--port', String(port)],
    }),
  },
}
