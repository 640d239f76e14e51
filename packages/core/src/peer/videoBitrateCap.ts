/**
 * Video uplink a group call shares among its peers by default (bits/s): in a mesh every remote
 * peer gets its own copy of our video, so six people on a home uplink must share it.
 */
export const GROUP_VIDEO_UPLINK_BPS = 2_500_000

/** Most a single outgoing video gets by default in a group call (bits/s). */
export const GROUP_VIDEO_MAX_BPS = 1_000_000

/**
 * The cap on each outgoing video for a call with `remotePeers` peers: none with one peer (a
 * two-person call keeps the browser's own rate control), otherwise the user's `override` or
 * the default share of {@link GROUP_VIDEO_UPLINK_BPS}, at most {@link GROUP_VIDEO_MAX_BPS}
 * (2 → 1 Mbps, 3 → 833 kbps, 4 → 625 kbps, 5 → 500 kbps). `false` turns the cap off.
 */
export function videoBitrateCap(remotePeers: number, override?: number | false): number | null {
  if (remotePeers < 2 || override === false) return null
  if (override !== undefined) return override
  return Math.min(GROUP_VIDEO_MAX_BPS, Math.floor(GROUP_VIDEO_UPLINK_BPS / remotePeers))
}
