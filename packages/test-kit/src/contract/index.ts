export type {
  CallProbeProps,
  Interaction,
  MediaProbeProps,
  Mounted,
  Phase,
  View,
} from './adapter'
export { type CallAdapter, callContract } from './callContract'
export { type MediaAdapter, mediaContract } from './mediaContract'
export { type SsrAdapter, ssrContract } from './ssrContract'
export { type CallSurface, useCallTypes } from './useCallTypes'
export {
  type MountedVideo,
  type VideoAdapter,
  type VideoProps,
  videoContract,
} from './videoContract'
