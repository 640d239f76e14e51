import { callContract } from '@duet/test-kit/contract'
import { render } from '@testing-library/vue'
import { useCall } from '../src'
import CallProbe from './fixtures/CallProbe.vue'
import { interaction, mounted, phase } from './support/testingLibrary'

callContract({
  ...interaction,
  phase,
  mount: (props) => mounted(render(CallProbe, { props })),
  useCallOutside: (signaling) => useCall({ signaling }),
  misuseMessage: '[@duet/vue] useCall() must be called inside a component setup().',
})
