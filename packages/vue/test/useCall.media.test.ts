import { mediaContract } from '@duet/test-kit/contract'
import { render } from '@testing-library/vue'
import MediaProbe from './fixtures/MediaProbe.vue'
import { interaction, mounted } from './support/testingLibrary'

mediaContract({ ...interaction, mount: (props) => mounted(render(MediaProbe, { props })) })
