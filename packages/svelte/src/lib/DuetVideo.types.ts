import type { HTMLVideoAttributes } from 'svelte/elements'

/** Props of `DuetVideo`: any `<video>` attribute, plus the stream to play. */
export interface DuetVideoProps extends Omit<HTMLVideoAttributes, 'muted'> {
  /** The stream to play; `null` shows an empty video. */
  stream: MediaStream | null
  /**
   * Mute playback, for a local preview (no echo) or to satisfy autoplay policies.
   * @default false
   */
  muted?: boolean
  /** Playback needs a user gesture: call `play()` on the video from a click handler. */
  onautoplayblocked?: (error: DOMException) => void
}
