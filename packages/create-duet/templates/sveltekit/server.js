// The production server: SvelteKit's adapter-node handler and the Duet signaling server on one
// port. `npm run build && npm start`.
import { handler } from './build/handler.js'
import { serve } from './serve.js'

serve((request, response) => handler(request, response, () => response.writeHead(404).end()))
