/**
 * Copies text; true on success. The async Clipboard API needs a secure context and focus, so
 * a plain-http LAN address falls back to selecting the input for a manual copy.
 */
export async function copyText(text: string, fallback?: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    fallback?.select()
    return false
  }
}
