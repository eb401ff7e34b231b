import { defineEventHandler } from 'h3'

// Nitro's own floor on this machine: a route that answers at once, nothing proxied. What any
// route in the app costs, the proxy's included.
export default defineEventHandler(() => 'ok')
