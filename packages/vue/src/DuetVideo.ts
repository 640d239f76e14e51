import { defineComponent, h, onMounted, type PropType, ref, watch } from 'vue'

/**
 * A `<video autoplay playsinline>` showing a `MediaStream`; set `muted` for local previews.
 * Emits `autoplay-blocked` when the browser refuses to start playback without a user gesture.
 * @example
 * <DuetVideo :stream="localStream" muted />
 */
export const DuetVideo = defineComponent({
  name: 'DuetVideo',
  props: {
    /** The stream to play; `null` shows an empty video. */
    stream: { type: Object as PropType<MediaStream | null>, default: null },
    /**
     * Mute playback, for a local preview (no echo) or to satisfy autoplay policies.
     * @default false
     */
    muted: { type: Boolean, default: false },
  },
  emits: {
    /** Playback needs a user gesture: call `play()` on the element from a click handler. */
    'autoplay-blocked': (_error: DOMException) => true,
  },
  setup(props, { emit }) {
    const video = ref<HTMLVideoElement | null>(null)
    // `srcObject` is a DOM property with no attribute, so it is set on the element directly:
    // once mounted, then after every render that swapped the stream.
    const show = () => {
      const el = video.value
      if (!el || el.srcObject === props.stream) return
      el.srcObject = props.stream
      if (!props.stream) return
      el.play().catch((error: DOMException) => {
        // AbortError only means a newer stream replaced this one before it started.
        if (error.name === 'NotAllowedError') emit('autoplay-blocked', error)
      })
    }
    onMounted(show)
    watch(() => props.stream, show, { flush: 'post' })
    return () => h('video', { ref: video, autoplay: true, playsinline: '', muted: props.muted })
  },
})
