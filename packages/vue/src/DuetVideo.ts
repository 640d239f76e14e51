import { playMedia } from '@duet/core'
import { defineComponent, h, onBeforeUnmount, onMounted, type PropType, ref, watch } from 'vue'

/**
 * A `<video autoplay playsinline>` showing a `MediaStream`; set `muted` for local previews.
 * When the browser refuses to autoplay (Safari, iOS), emits `autoplay-blocked` and starts
 * playback on the next user gesture (a key, a click or a tap anywhere in the page).
 * @example
 * <DuetVideo :stream="localStream" muted />
 */
export const DuetVideo = defineComponent({
  name: 'DuetVideo',
  props: {
    /** The stream to play; `null` shows an empty video. */
    stream: { type: Object as PropType<MediaStream | null>, default: null },
    /**
     * Mute playback: required for a local preview (no echo, and Safari autoplays muted video).
     * @default false
     */
    muted: { type: Boolean, default: false },
  },
  emits: {
    /**
     * Autoplay was refused; playback starts by itself on the next key, click or tap in the page.
     * Show a hint until the video's `playing` event.
     */
    'autoplay-blocked': (_error: DOMException) => true,
  },
  setup(props, { emit }) {
    const video = ref<HTMLVideoElement | null>(null)
    let stopPlaying = () => {}
    // `srcObject` is a DOM property with no attribute, so it is set on the element directly:
    // once mounted, then after every render that swapped the stream. `muted` is rendered
    // before: Safari decides whether to autoplay when play() is called.
    const show = () => {
      const el = video.value
      if (!el || el.srcObject === props.stream) return
      stopPlaying()
      stopPlaying = () => {}
      el.srcObject = props.stream
      if (props.stream) stopPlaying = playMedia(el, (error) => emit('autoplay-blocked', error))
    }
    onMounted(show)
    watch(() => props.stream, show, { flush: 'post' })
    onBeforeUnmount(() => stopPlaying())
    return () => h('video', { ref: video, autoplay: true, playsinline: '', muted: props.muted })
  },
})
