import type { CallOptions, ConnectionQuality, VideoQuality } from '@duet/core'

/** A choice of the quality menu. */
export interface QualityPreset {
  /** What the menu says. */
  label: string
  /** What `setVideoQuality` gets; `{}` lifts every limit. */
  quality: VideoQuality
}

/** The quality menu's bitrate presets, from no limit down to what a weak uplink carries. */
export const QUALITY_PRESETS: QualityPreset[] = [
  { label: 'Auto', quality: {} },
  { label: 'High (1.5 Mbit/s)', quality: { maxBitrate: 1_500_000 } },
  { label: 'Medium (500 kbit/s)', quality: { maxBitrate: 500_000 } },
  { label: 'Low (150 kbit/s)', quality: { maxBitrate: 150_000, maxFramerate: 15 } },
]

/** The preset a menu value names (its label), or Auto. */
export function presetNamed(label: string): VideoQuality {
  return (QUALITY_PRESETS.find((preset) => preset.label === label) ?? QUALITY_PRESETS[0]!).quality
}

const BARS: Record<ConnectionQuality, number> = { excellent: 3, good: 2, poor: 1, lost: 0 }

/** How many of the three bars a quality lights. */
export const qualityBars = (quality: ConnectionQuality | null): number =>
  quality === null ? 0 : BARS[quality]

/** What a screen reader says for the bars. */
export const qualityLabel = (quality: ConnectionQuality | null): string =>
  `Connection quality: ${quality ?? 'measuring'}`

/**
 * Call options the URL may set, to try codecs and the TURN path: `?codec=video/VP9` (repeat or
 * comma-separate for more) and `?relay` for `forceRelay`.
 */
export function urlCallOptions(
  search = window.location.search,
): Pick<CallOptions, 'preferredCodecs' | 'forceRelay'> {
  const params = new URLSearchParams(search)
  const codecs = params.getAll('codec').flatMap((value) => value.split(',').filter(Boolean))
  return {
    ...(codecs.length > 0 ? { preferredCodecs: codecs } : {}),
    ...(params.has('relay') ? { forceRelay: true } : {}),
  }
}
