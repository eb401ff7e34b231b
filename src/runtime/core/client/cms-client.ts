import type { $Fetch, FetchContext } from 'ofetch'
import { bindApiClient } from './api-client'
import { attachCredential } from './credential'
import { nuxtEnvName } from '../env-name'
import type { PublicApiConfig } from '../config-types'

/**
 * A `$fetch` bound to one API: its base URL, its extra headers and its credential. It runs on the
 * runtime's global `$fetch` (ofetch), which Nuxt and Nitro both provide, so the browser, SSR and
 * the server-held sessions share it. `attachMore` adds a mode's own part to the same requests
 * (only those under the API's base URL).
 */
export function createCmsClient(name: string, api: PublicApiConfig, attachMore?: (options: FetchContext['options']) => void): $Fetch {
  // Nitro's $fetch types narrow `method`; callers use plain ofetch options, so widen once here.
  return bindApiClient($fetch as unknown as $Fetch, api.baseURL, (options) => {
    const headers = options.headers as Headers
    for (const header in api.headers)
      headers.set(header, api.headers[header]!)
    if (api.auth === 'static') {
      // An empty token means the deployment forgot its env variable: fail loudly, not with a bare request.
      if (!api.token)
        throw new Error(`[nuxt-cms-auth] cmsAuth.apis.${name}.token is empty on this deployment (set ${nuxtEnvName(['public', 'cmsAuth', 'apis', name, 'token'])})`)
      attachCredential(options as { headers: Headers, query?: Record<string, unknown> }, api.credential, api.token)
    }
    // Direct cookie mode: the browser sends the CMS its session cookie (the CMS allows it by CORS).
    if (api.auth === 'cookie')
      options.credentials = 'include'
    attachMore?.(options)
  })
}
