import { mediaContract } from '@duet/test-kit/contract'
import { render } from '@testing-library/svelte'
import MediaProbe from './fixtures/MediaProbe.svelte'
import { interaction, mounted } from './support/testingLibrary'

mediaContract({ ...interaction, mount: (props) => mounted(render(MediaProbe, { props })) })
