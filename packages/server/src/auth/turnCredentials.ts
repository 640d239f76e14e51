import { createHmac } from 'node:crypto'
import type { IceServerData } from '@duet/core/protocol'
import type { Grant } from './authTypes'

/** Settings for time-limited TURN credentials (coturn `use-auth-secret`, the "TURN REST API"). */
export interface TurnSettings {
  /** The `static-auth-secret` shared with the TURN server. */
  secret: string
  /** TURN URLs the credentials are for, e.g. `turn:turn.example.com:3478?transport=udp`. */
  urls: string[]
  /** How long a credential stays valid, in seconds. */
  ttlSeconds: number
}

/** ICE servers with their expiry, as a join result or `ice:refresh` carries them. */
export interface IceGrant {
  /** Static ICE servers followed by the TURN entry, if any. */
  iceServers: IceServerData[]
  /** When the TURN credential expires (ms since epoch); absent without TURN. */
  iceServersExpireAt?: number
}

/**
 * A TURN REST credential: username `<unix expiry>:<peerId>`, credential
 * base64(HMAC-SHA1(secret, username)), which coturn recomputes to check it.
 */
export function turnCredential(
  settings: TurnSettings,
  peerId: string,
  nowMs: number = Date.now(),
): { server: IceServerData; expiresAt: number } {
  const expiry = Math.floor(nowMs / 1000) + settings.ttlSeconds
  const username = `${expiry}:${peerId}`
  const credential = createHmac('sha1', settings.secret).update(username).digest('base64')
  return { server: { urls: [...settings.urls], username, credential }, expiresAt: expiry * 1000 }
}

/**
 * Builds what a peer is told to use: the static servers plus, with TURN, a fresh credential.
 * TURN goes to authenticated peers only (an open relay otherwise), and never outlives the
 * peer's authentication: its lifetime is cut to what is left of the token.
 */
export function grantIceServers(
  staticServers: readonly IceServerData[],
  turn: TurnSettings | undefined,
  peerId: string,
  grant: Grant | undefined,
  nowMs: number = Date.now(),
): IceGrant {
  const iceServers = staticServers.map((server) => ({ ...server }))
  if (!turn || !grant) return { iceServers }
  const leftSeconds =
    grant.expiresAt === undefined ? turn.ttlSeconds : Math.floor((grant.expiresAt - nowMs) / 1000)
  const ttlSeconds = Math.min(turn.ttlSeconds, leftSeconds)
  if (ttlSeconds <= 0) return { iceServers }
  const { server, expiresAt } = turnCredential({ ...turn, ttlSeconds }, peerId, nowMs)
  return { iceServers: [...iceServers, server], iceServersExpireAt: expiresAt }
}
