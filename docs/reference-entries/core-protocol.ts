/**
 * The wire contract shared by client and server: event interfaces, payloads, error codes,
 * limits and validators. No DOM types.
 * @module @duet/core/protocol
 */
export * from '@duet/core/protocol'
