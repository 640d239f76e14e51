import type { Component } from 'svelte'
import Video from './DuetVideo.svelte'
import type { DuetVideoProps } from './DuetVideo.types.js'

// Typed here so the published .d.ts never imports a `.svelte` file: TypeScript's node16 and
// nodenext resolution cannot find `DuetVideo.svelte.d.ts`, only `bundler` resolution can.
/**
 * A `<video autoplay playsinline>` showing a `MediaStream`; set `muted` for local previews.
 * When autoplay is refused (Safari, iOS), calls `onautoplayblocked` and plays on the next gesture.
 * @example <DuetVideo stream={call.remoteStream} />
 */
export const DuetVideo: Component<DuetVideoProps> = Video
