/**
 * The call as an xstate actor (`createCall`), its pure view (`connectCall`), the machines,
 * and the Socket.io signaling transport.
 * @module @duet/core
 */
export * from '@duet/core'
