import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose'

/** A signing key as an identity provider holds it: the private half signs, the JWK is published. */
export interface SigningKey {
  /** Algorithm it signs with. */
  alg: string
  /** Key id, as the token header and the JWKS name it. */
  kid: string
  /** The public half, as published. */
  jwk: JWK
  /** The public half as PEM (SPKI). */
  pem: string
  /** Signs claims into a compact JWT. */
  sign(claims: Record<string, unknown>, expiresIn?: string | number): Promise<string>
}

/** A fresh key pair for `alg`, generated with jose. */
export async function signingKey(
  alg: string,
  kid = `${alg}-${Math.random().toString(36).slice(2)}`,
): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }
  const pem = await exportSPKI(publicKey)
  return {
    alg,
    kid,
    jwk,
    pem,
    sign: (claims, expiresIn = '5m') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg, kid })
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(privateKey),
  }
}

/** A JWKS endpoint on 127.0.0.1 publishing whatever keys the test puts in `keys`. */
export interface JwksServer {
  url: string
  keys: JWK[]
  /** How many times the key set was fetched. */
  fetches(): number
  close(): Promise<void>
}

/** Serves `{ keys }` at `/jwks.json` on a free loopback port. */
export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  let fetches = 0
  const state = { keys }
  const server = createServer((request, response) => {
    // An issuer's URL may carry a query (an API key): the path is what names the key set.
    if (request.url?.split('?')[0] !== '/jwks.json') return response.writeHead(404).end()
    fetches += 1
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ keys: state.keys }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    get keys() {
      return state.keys
    },
    set keys(next: JWK[]) {
      state.keys = next
    },
    fetches: () => fetches,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
