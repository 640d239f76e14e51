import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../src/config'

const defaults = {
  help: false,
  port: 3000,
  host: undefined,
  maxPeersPerRoom: 2,
  corsOrigin: undefined,
}

describe('parseConfig', () => {
  it('should default to port 3000, all interfaces, rooms of 2 and any origin', () => {
    expect(parseConfig([], {})).toEqual(defaults)
  })

  it('should read every flag', () => {
    const config = parseConfig(
      [
        '--port',
        '8080',
        '--host=127.0.0.1',
        '--max-peers-per-room',
        '4',
        '--cors-origin',
        'https://a.example, https://b.example',
      ],
      {},
    )
    expect(config).toEqual({
      help: false,
      port: 8080,
      host: '127.0.0.1',
      maxPeersPerRoom: 4,
      corsOrigin: ['https://a.example', 'https://b.example'],
    })
  })

  it('should read the environment when flags are absent', () => {
    const config = parseConfig([], {
      DUET_PORT: '4000',
      DUET_HOST: '::1',
      DUET_MAX_PEERS_PER_ROOM: '3',
      DUET_CORS_ORIGIN: 'https://only.example',
    })
    expect(config).toEqual({
      help: false,
      port: 4000,
      host: '::1',
      maxPeersPerRoom: 3,
      corsOrigin: 'https://only.example',
    })
  })

  it('should fall back to PORT and HOST, below the DUET_ variables', () => {
    expect(parseConfig([], { PORT: '5000', HOST: 'localhost' })).toMatchObject({
      port: 5000,
      host: 'localhost',
    })
    expect(parseConfig([], { PORT: '5000', DUET_PORT: '5001' }).port).toBe(5001)
    expect(parseConfig([], { HOST: 'a', DUET_HOST: 'b' }).host).toBe('b')
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
    [['--max-peers-per-room', '1'], /--max-peers-per-room must be an integer at least 2, got "1"/],
    [['--max-peers-per-room', 'two'], /--max-peers-per-room/],
    [['--host', ' '], /--host must not be empty/],
    [['--cors-origin', ' , '], /--cors-origin must list at least one origin/],
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
