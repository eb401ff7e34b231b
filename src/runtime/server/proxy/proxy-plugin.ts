import { defineNitroPlugin } from 'nitropack/runtime'
import { resolveProxyApis } from './proxy-config'

/**
 * Resolves every proxy API when the server starts, so a bad `NUXT_CMS_AUTH_APIS_<NAME>_PROXY_…`
 * override stops it with the same message a build would give, instead of surfacing (or, worse,
 * falling back to an open proxy) on the first request.
 */
export default defineNitroPlugin(() => {
  resolveProxyApis()
})
