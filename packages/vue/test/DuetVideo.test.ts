import { videoContract } from '@duet/test-kit/contract'
import { cleanup, render } from '@testing-library/vue'
import { DuetVideo } from '../src/DuetVideo'

videoContract({
  autoplayBlockedSignal: 'emit autoplay-blocked',
  cleanup,
  mount: (props) => {
    // `class` is not a prop: Vue Test Utils passes it on as an attribute.
    const { container, rerender, emitted } = render(DuetVideo, { props })
    return {
      container,
      rerender,
      autoplayBlocked: () => emitted<unknown[]>()['autoplay-blocked'] ?? [],
    }
  },
})
