import type { HTMLVideoAttributes } from 'svelte/elements'

/** Props of `DuetVideo`: any `<video>` attribute, plus the stream to play. */
export interface DuetVideoProps extends Omit<HTMLVideoAttributes, 'muted'> {
  /** The stream to play; `null` shows an empty video. */
  stream: MediaStream | null
  /**
   * Mute playback: required for a local preview (no echo, and Safari autoplays muted video).
   * @default false
   */
  muted?: boolean
  /**
   * Autoplay was refused; playback starts by itself on the next key, click or tap in the page.
   * Show a hint until the video's `playing` event.
   */
  onautoplayblocked?: (error: DOMException) => void
}
