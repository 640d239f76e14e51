/** How loud a source is and whether it counts as speaking. */
export interface AudioActivity {
  /** Audio level over the last sampling period, 0 (silence) to 1 (full scale), linear like WebRTC's `audioLevel`. */
  level: number
  /** Speaking, with hysteresis: see {@link SPEAKING_THRESHOLDS}. */
  speaking: boolean
}

/**
 * When a source counts as speaking. The levels are linear (WebRTC's `audioLevel`, 1 = 0 dBov):
 * speech near a microphone sits around 0.05–0.3, a quiet room below 0.01. Two thresholds and a
 * hold keep the flag from flickering on the pauses between words.
 */
export const SPEAKING_THRESHOLDS = {
  /** Speaking starts at this level (≈ −30 dBov). */
  start: 0.03,
  /** Speaking stops once the level stays below this one (≈ −40 dBov)… */
  stop: 0.01,
  /** …for this long (ms). */
  holdMs: 600,
} as const

/** A source's speaking state between samples. */
export interface SpeakingState extends AudioActivity {
  /** When the level last was at or above the stop threshold (ms). */
  lastLoudAt: number
}

/** Silence: what a source starts as. */
export const SILENT: SpeakingState = { level: 0, speaking: false, lastLoudAt: 0 }

/** The next speaking state of a source after a sample at `level`, taken at `now` (ms). */
export function nextSpeaking(previous: SpeakingState, level: number, now: number): SpeakingState {
  const { start, stop, holdMs } = SPEAKING_THRESHOLDS
  const lastLoudAt = level >= stop ? now : previous.lastLoudAt
  const speaking = previous.speaking ? now - lastLoudAt < holdMs : level >= start
  return { level, speaking, lastLoudAt }
}

/**
 * The RMS level between two readings of a source's energy counters (`totalAudioEnergy`,
 * `totalSamplesDuration` of `inbound-rtp` or `media-source` stats): every beep and syllable
 * between two samples counts, where `audioLevel` alone is only the last packet's.
 */
export function levelBetween(
  before: { energy: number; duration: number } | null,
  after: { energy: number; duration: number },
): number | null {
  if (!before) return null
  const duration = after.duration - before.duration
  if (duration <= 0) return null
  const level = Math.sqrt(Math.max(0, after.energy - before.energy) / duration)
  return Math.min(1, level)
}

/**
 * The active speaker: the one speaking now stays so while they speak (no flicker between two
 * talking at once); otherwise the loudest one speaking, or null when nobody is.
 */
export function activeSpeakerOf(
  sources: ReadonlyMap<string, AudioActivity>,
  current: string | null,
): string | null {
  if (current !== null && sources.get(current)?.speaking) return current
  let loudest: string | null = null
  let level = -1
  for (const [id, activity] of sources) {
    if (activity.speaking && activity.level > level) {
      loudest = id
      level = activity.level
    }
  }
  return loudest
}

/** Silence as a UI shows it. */
export const SILENT_ACTIVITY: AudioActivity = { level: 0, speaking: false }
