/** What the bot answers a chat message with. */
export function echoReply(text: string): string {
  return `echo: ${text}`
}

/** What the bot answers a received file with: its name, size and SHA-256 in hex. */
export function hashReply(name: string, size: number, sha256: string): string {
  return `SHA-256 of ${name} (${size} bytes): ${sha256}`
}
