import { describe, expect, it } from 'vitest'
import { ConfigError, envName, optionsFromEnv, parseConfig, USAGE } from '../src/config/cliConfig'

const defaults = {
  help: false,
  port: 3000,
  host: undefined,
  maxPeersPerRoom: 2,
  corsOrigin: undefined,
  redis: undefined,
  turnSecret: undefined,
  turnUrls: undefined,
  turnTtlSeconds: 3600,
  jwtSecret: undefined,
  logLevel: 'info',
  rateLimit: { perSecond: 20, burst: 40 },
  resumeWindowMs: 30000,
  recoveryWindowMs: 0,
  resumeSecret: undefined,
  drainTimeoutMs: 10000,
  transports: ['polling', 'websocket'],
  allowAnonymous: false,
  jwtPublicKey: undefined,
  jwksUrl: undefined,
  jwtAudience: undefined,
  jwtIssuer: undefined,
  metricsPort: undefined,
  metricsHost: undefined,
  maxMailboxBytes: 1048576,
  maxRoomBytes: 2097152,
  maxHeldBytes: 67108864,
  maxBufferedBytes: 4194304,
  maxConnectionsPerIp: 64,
  maxConnections: 20000,
  joinRatePerIp: { perSecond: 10, burst: 50 },
  rateLimitPerIp: { perSecond: 200, burst: 400 },
  trustProxy: [],
}

const SECRET = 'a-shared-secret-of-at-least-32-bytes!'

// Every flag with a value, its DUET_ variable's raw value and what it parses to.
const EVERY_SETTING: [flag: string, raw: string, key: string, parsed: unknown][] = [
  ['port', '8080', 'port', 8080],
  ['host', '127.0.0.1', 'host', '127.0.0.1'],
  ['max-peers-per-room', '4', 'maxPeersPerRoom', 4],
  [
    'cors-origin',
    'https://a.example, https://b.example',
    'corsOrigin',
    ['https://a.example', 'https://b.example'],
  ],
  ['redis', 'redis://:pw@127.0.0.1:6379/2', 'redis', 'redis://:pw@127.0.0.1:6379/2'],
  ['turn-secret', 's3cret', 'turnSecret', 's3cret'],
  ['jwt-audience', 'duet, duet-staging', 'jwtAudience', ['duet', 'duet-staging']],
  ['jwt-issuer', 'https://id.example', 'jwtIssuer', 'https://id.example'],
  ['metrics-port', '9100', 'metricsPort', 9100],
  ['metrics-host', '10.0.0.5', 'metricsHost', '10.0.0.5'],
  [
    'turn-urls',
    'turn:a.example:3478,turns:a.example:5349',
    'turnUrls',
    ['turn:a.example:3478', 'turns:a.example:5349'],
  ],
  ['turn-ttl', '10m', 'turnTtlSeconds', 600],
  ['jwt-secret', SECRET, 'jwtSecret', SECRET],
  ['log-level', 'debug', 'logLevel', 'debug'],
  ['rate-limit', '5:8', 'rateLimit', { perSecond: 5, burst: 8 }],
  ['resume-window', '10s', 'resumeWindowMs', 10000],
  ['recovery-window', '5s', 'recoveryWindowMs', 5000],
  ['resume-secret', `${SECRET}2`, 'resumeSecret', `${SECRET}2`],
  ['drain-timeout', '2500', 'drainTimeoutMs', 2500],
  ['transports', 'websocket', 'transports', ['websocket']],
  ['max-mailbox-bytes', '512KiB', 'maxMailboxBytes', 524288],
  ['max-room-bytes', '4MiB', 'maxRoomBytes', 4194304],
  ['max-held-bytes', '300000', 'maxHeldBytes', 300000],
  ['max-buffered-bytes', '8MiB', 'maxBufferedBytes', 8388608],
  ['max-connections-per-ip', '0', 'maxConnectionsPerIp', 0],
  ['max-connections', '500', 'maxConnections', 500],
  ['join-rate-per-ip', 'off', 'joinRatePerIp', false],
  ['rate-limit-per-ip', '50:60', 'rateLimitPerIp', { perSecond: 50, burst: 60 }],
  ['trust-proxy', '10.0.0.0/8, ::1', 'trustProxy', ['10.0.0.0/8', '::1']],
]

describe('parseConfig', () => {
  it('should default to port 3000, all interfaces, rooms of 2 and any origin', () => {
    expect(parseConfig([], {})).toEqual(defaults)
  })

  it('should read every flag', () => {
    const argv = EVERY_SETTING.flatMap(([flag, raw]) => [`--${flag}`, raw])
    const expected = Object.fromEntries(EVERY_SETTING.map(([, , key, parsed]) => [key, parsed]))
    expect(parseConfig(argv, {})).toEqual({ ...defaults, ...expected })
  })

  it('should read every setting from its DUET_ variable when the flag is absent', () => {
    const env = Object.fromEntries(EVERY_SETTING.map(([flag, raw]) => [envName(flag), raw]))
    const expected = Object.fromEntries(EVERY_SETTING.map(([, , key, parsed]) => [key, parsed]))
    expect(env).toHaveProperty('DUET_MAX_PEERS_PER_ROOM', '4')
    expect(env).toHaveProperty('DUET_REDIS')
    expect(parseConfig([], env)).toEqual({ ...defaults, ...expected })
  })

  it('should document every flag in the usage text', () => {
    for (const [flag] of EVERY_SETTING) expect(USAGE).toContain(`--${flag} `)
  })

  it('should take durations with or without a unit', () => {
    expect(parseConfig(['--resume-window', '1500'], {}).resumeWindowMs).toBe(1500)
    expect(parseConfig(['--resume-window', '2m'], {}).resumeWindowMs).toBe(120000)
    expect(parseConfig(['--resume-window', '0'], {}).resumeWindowMs).toBe(0)
    expect(parseConfig(['--turn-ttl', '600'], {}).turnTtlSeconds).toBe(600)
    expect(parseConfig(['--turn-ttl', '5000ms'], {}).turnTtlSeconds).toBe(5)
  })

  it('should take a rate with a default burst of twice the rate, or off', () => {
    expect(parseConfig(['--rate-limit', '10'], {}).rateLimit).toEqual({ perSecond: 10, burst: 20 })
    expect(parseConfig(['--rate-limit', 'off'], {}).rateLimit).toBe(false)
    expect(parseConfig(['--rate-limit', '0'], {}).rateLimit).toBe(false)
  })

  it('should fall back to PORT and HOST, below the DUET_ variables', () => {
    expect(parseConfig([], { PORT: '5000', HOST: 'localhost' })).toMatchObject({
      port: 5000,
      host: 'localhost',
    })
    expect(parseConfig([], { PORT: '5000', DUET_PORT: '5001' }).port).toBe(5001)
    expect(parseConfig([], { HOST: '127.0.0.2', DUET_HOST: '127.0.0.3' }).host).toBe('127.0.0.3')
  })

  it('should prefer flags over the environment', () => {
    const config = parseConfig(['--port', '1', '--max-peers-per-room', '5'], {
      DUET_PORT: '2',
      PORT: '3',
      DUET_MAX_PEERS_PER_ROOM: '6',
    })
    expect(config).toMatchObject({ port: 1, maxPeersPerRoom: 5 })
  })

  it('should treat empty variables as unset', () => {
    expect(parseConfig([], { DUET_PORT: '', PORT: '', DUET_CORS_ORIGIN: '' })).toEqual(defaults)
  })

  it('should accept port 0 for any free port', () => {
    expect(parseConfig(['--port', '0'], {}).port).toBe(0)
  })

  it('should report --help and -h', () => {
    expect(parseConfig(['--help'], {}).help).toBe(true)
    expect(parseConfig(['-h'], {}).help).toBe(true)
  })

  it.each([
    [['--bogus'], /unknown option '--bogus'/i],
    [['serve'], /unexpected argument 'serve'/i],
    [['--port'], /--port/],
    [['--port', 'abc'], /--port must be an integer from 0 to 65535, got "abc"/],
    [['--port', '65536'], /--port/],
    [['--port', '-1'], /'--port' argument is ambiguous/],
    [['--port=-1'], /--port must be an integer/],
    [['--port', '80.5'], /--port/],
    [['--port', '1e3'], /--port/],
    [['--port', '0x50'], /--port/],
    [
      ['--max-peers-per-room', '1'],
      /--max-peers-per-room must be an integer from 2 to 16, got "1"/,
    ],
    // #16: a mesh past 16 peers cannot cope; say the range instead of starting.
    [
      ['--max-peers-per-room', '17'],
      /--max-peers-per-room must be an integer from 2 to 16, got "17"/,
    ],
    [['--max-peers-per-room', 'two'], /--max-peers-per-room/],
    [['--host', ' '], /--host must not be empty/],
    [['--cors-origin', ' , '], /--cors-origin must list at least one origin/],
    [['--redis', 'localhost:6379'], /--redis must be a redis:\/\/ or rediss:\/\/ URL/],
    [['--turn-secret', 's'], /--turn-secret and --turn-urls go together/],
    [['--turn-urls', 'turn:a.example'], /--turn-secret and --turn-urls go together/],
    [['--turn-secret', 's', '--turn-urls', 'http://a.example'], /--turn-urls must be/],
    [['--turn-ttl', '0'], /--turn-ttl must be a duration of at least 1s/],
    [['--log-level', 'loud'], /--log-level must be one of debug, info, warn, error, silent/],
    [['--rate-limit', 'fast'], /--rate-limit must be/],
    [['--rate-limit', '10:0'], /--rate-limit must be/],
    [['--resume-window', '-5'], /ambiguous|--resume-window/],
    [['--resume-window', '30 seconds'], /--resume-window must be a duration/],
    [['--drain-timeout', '1.5s'], /--drain-timeout must be a duration/],
    [['--recovery-window', 'soon'], /--recovery-window must be a duration/],
    [
      ['--recovery-window', '1m', '--resume-window', '30s'],
      /--recovery-window must not be longer than --resume-window/,
    ],
    [['--transports', 'carrier-pigeon'], /--transports must be/],
    [['--jwt-secret', ''], /--jwt-secret must not be empty/],
    [
      ['--jwt-secret', SECRET, '--jwks-url', 'https://id.example/jwks'],
      /give one of --jwt-secret, --jwt-public-key, --jwks-url/,
    ],
    [['--jwks-url', 'ftp://id.example/jwks'], /--jwks-url must be an http/],
    [['--jwt-public-key', 'not a key'], /--jwt-public-key must be a PEM public key/],
    [['--jwt-audience', 'duet'], /--jwt-audience and --jwt-issuer need/],
    [['--metrics-port', '70000'], /--metrics-port must be an integer/],
  ])('should refuse %j with a one-line ConfigError', (argv, message) => {
    let caught: unknown
    try {
      parseConfig(argv, {})
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ConfigError)
    expect((caught as ConfigError).message).toMatch(message)
    expect((caught as ConfigError).message).not.toContain('\n')
  })

  it('should name the variable an invalid value came from', () => {
    expect(() => parseConfig([], { PORT: 'http' })).toThrow(/^PORT must be an integer/)
    expect(() => parseConfig([], { DUET_MAX_PEERS_PER_ROOM: '0' })).toThrow(
      /^DUET_MAX_PEERS_PER_ROOM must/,
    )
  })
})

describe('optionsFromEnv', () => {
  it('should turn DUET_ variables into createSignalingServer options, without port or host', () => {
    const options = optionsFromEnv(
      {
        PORT: '8080',
        DUET_REDIS: 'redis://127.0.0.1:6379',
        DUET_MAX_PEERS_PER_ROOM: '3',
        DUET_RESUME_SECRET: SECRET,
        DUET_LOG_LEVEL: 'silent',
      },
      { write: () => true },
    )
    expect(options).toMatchObject({
      redis: 'redis://127.0.0.1:6379',
      maxPeersPerRoom: 3,
      resumeSecret: SECRET,
      resumeWindowMs: 30000,
    })
    expect(options).not.toHaveProperty('port')
    expect(options).not.toHaveProperty('host')
    expect(options.logger).toBeDefined()
  })

  it('should log JSON lines at the configured level', () => {
    const lines: string[] = []
    const { logger } = optionsFromEnv(
      { DUET_LOG_LEVEL: 'warn' },
      { write: (line) => lines.push(line) },
    )
    logger?.info('hidden')
    logger?.warn('shown', { roomId: 'lobby' })
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', msg: 'shown', roomId: 'lobby' })
  })

  it('should apply the exposure rule to HOST, as the demo server binds it (#13)', () => {
    const sink = { write: () => true }
    expect(() => optionsFromEnv({ HOST: '0.0.0.0' }, sink)).toThrow(/--allow-anonymous/)
    expect(optionsFromEnv({ HOST: '0.0.0.0', DUET_ALLOW_ANONYMOUS: 'true' }, sink)).toMatchObject({
      allowAnonymous: true,
    })
    expect(optionsFromEnv({ HOST: '127.0.0.1' }, sink)).not.toHaveProperty('allowAnonymous')
  })

  it('should throw a ConfigError on an invalid variable', () => {
    expect(() => optionsFromEnv({ DUET_TURN_TTL: 'soon' })).toThrow(ConfigError)
  })
})
