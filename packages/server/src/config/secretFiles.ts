import { readFileSync } from 'node:fs'
import { ConfigError, type Source } from './settings'

/**
 * Settings that are secrets (or, like a Redis URL, may hold one): each also has a `-file` flag
 * and a `_FILE` variable naming a file to read it from, so it need not appear in `ps` or in the
 * environment (Docker and Kubernetes secrets are mounted as files).
 */
export const SECRET_FLAGS = [
  'jwt-secret',
  'jwt-public-key',
  'resume-secret',
  'turn-secret',
  'redis',
] as const

/** A setting that can be read from a file. */
export type SecretFlag = (typeof SECRET_FLAGS)[number]

/** The flag naming the file of a secret setting: `--jwt-secret` → `--jwt-secret-file`. */
export const fileFlag = <Flag extends SecretFlag>(flag: Flag): `${Flag}-file` => `${flag}-file`

/**
 * The setting a `-file` source points to: the file's text without its trailing newline (what
 * `echo secret > file` adds). Throws {@link ConfigError} when the file cannot be read or is empty.
 */
export function readSecretFile(source: Source): Source {
  let text: string
  try {
    text = readFileSync(source.value, 'utf8')
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable'
    throw new ConfigError(`${source.from}: cannot read ${source.value} (${reason})`)
  }
  const value = text.replace(/\r?\n$/, '')
  if (value.trim() === '') throw new ConfigError(`${source.from}: ${source.value} is empty`)
  return { value, from: `${source.from} (${source.value})` }
}

/**
 * Picks a secret setting given at most once: the value and its file at the same level (two
 * flags, or two variables) is a mistake worth stopping for, not a precedence puzzle.
 */
export function secretSource(
  flag: SecretFlag,
  direct: Source | undefined,
  file: Source | undefined,
): Source | undefined {
  if (direct && file) {
    throw new ConfigError(`give ${direct.from} or ${file.from}, not both (for --${flag})`)
  }
  return file ? readSecretFile(file) : direct
}
