/**
 * The Socket.io signaling server: `createSignalingServer`, configuration, authentication,
 * TURN credentials and logging.
 * @module @duet/server
 */
export * from '@duet/server'
