import { callContract } from '@duet/test-kit/contract'
import { render } from '@testing-library/svelte'
import { useCall } from '../src/lib'
import CallProbe from './fixtures/CallProbe.svelte'
import { interaction, mounted, phase } from './support/testingLibrary'

callContract({
  ...interaction,
  phase,
  mount: (props) => mounted(render(CallProbe, { props })),
  useCallOutside: (signaling) => useCall({ signaling }),
  misuseMessage:
    '[@duet/svelte] useCall() must be called during component initialisation or in $effect.root.',
})
