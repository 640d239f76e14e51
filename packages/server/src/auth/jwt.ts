import { createHmac } from 'node:crypto'

/**
 * Signs claims as a compact HS256 token, for tests and token-issuing backends that have no JWT
 * library at hand. Give it an `exp`: the server refuses tokens without one.
 */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url')
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${signature}`
}
