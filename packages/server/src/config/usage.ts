/** The `--help` text of `duet-server`. */
export const USAGE = `Usage: duet-server [options]

Runs the Duet WebRTC signaling server (Socket.io). Every option can also be set with an
environment variable DUET_<OPTION_IN_UPPER_SNAKE_CASE>, e.g. DUET_MAX_PEERS_PER_ROOM=4.
A flag wins over its variable; an empty variable counts as unset.

Options:
  --port <n>                Port to listen on, 0 for any free port (also PORT; default 3000)
  --host <address>          Interface to bind (also HOST; default 127.0.0.1, this machine
                            only). Any other needs authentication or --cors-origin, or
                            --allow-anonymous
  --max-peers-per-room <n>  Room capacity, from 2 to 16 (default 2)
  --cors-origin <origins>   Comma-separated browser origins allowed to connect, checked for
                            WebSocket upgrades too (default any origin)
  --transports <list>       polling,websocket or websocket (default polling,websocket)
  --redis <url>             redis://host:port: share rooms with every node on this Redis
                            (default: one process, in memory)
  --resume-window <ms>      How long a disconnected peer keeps its place (default 30s; 0 = off)
  --recovery-window <ms>    Also replay relays a dead connection missed, keeping every relay
                            this long, at most the resume window (default 0 = off)
  --resume-secret <secret>  Signs resume tokens, at least 32 bytes; the same on every node
                            (default random; required with --redis)
  --rate-limit <r[:burst]>  Messages per second per socket, and burst (default 20:40; off)
  --jwt-secret <secret>     Require a JWT (auth.token, HS256/384/512, secret of at least 32
                            bytes) whose "rooms" claim lists the rooms its holder may join, or "*"
  --jwt-public-key <pem>    ... or one signed by this PEM public key (RS256, PS256, ES256, EdDSA)
  --jwks-url <url>          ... or by a key of this JSON Web Key Set (cached, refreshed)
  --jwt-audience <aud>      Required "aud" claim (comma-separated for any of several)
  --jwt-issuer <iss>        Required "iss" claim (comma-separated for any of several)
  --allow-anonymous         Serve everyone beyond loopback without authentication or origins
  --turn-secret <secret>    coturn static-auth-secret: hand out TURN REST credentials to
                            authenticated peers (needs a JWT option)
  --turn-urls <urls>        Comma-separated turn: URLs the credentials are for
  --turn-ttl <seconds>      Lifetime of a TURN credential, at most the token's (default 3600)
  --metrics-port <n>        Serve /metrics on this port only, off the public one
  --metrics-host <address>  Interface of the metrics port (default 127.0.0.1)
  --max-mailbox-bytes <n>   Bytes kept for one away peer; past it relays get MAILBOX_FULL
                            (default 1MiB; KiB and MiB suffixes work)
  --max-room-bytes <n>      Bytes kept for the away peers of one room (default 2MiB)
  --max-held-bytes <n>      Bytes kept for away peers in all, on this node or in the shared
                            Redis (default 64MiB)
  --max-buffered-bytes <n>  Bytes waiting to be sent to one client before its connection is
                            cut as a slow reader (default 4MiB)
  --max-connections-per-ip <n>  Connections open at once from one address (default 64; 0 = off)
  --max-connections <n>     Connections open at once on this node (default 20000; 0 = off)
  --join-rate-per-ip <r[:burst]>  Joins per second per address, and burst (default 10:50; off)
  --rate-limit-per-ip <r[:burst]> Messages per second per address, all its sockets together
                            (default 200:400; off)
  --trust-proxy <cidrs>     Proxies whose X-Forwarded-For names the client's address
                            (e.g. 10.0.0.0/8,::1; default none)
  --drain-timeout <ms>      On SIGTERM, how long to wait for clients to move (default 10s)
  --log-level <level>       debug, info, warn, error or silent (default info); JSON lines on stderr
  -h, --help                Show this help

Secrets can come from files: --jwt-secret-file, --jwt-public-key-file, --resume-secret-file,
--turn-secret-file, --redis-file (and DUET_JWT_SECRET_FILE etc.), so they stay out of ps.
Durations take a unit suffix too: 500ms, 30s, 5m, 1h.
Endpoints: /healthz (liveness), /readyz (readiness), /metrics (Prometheus).
`
