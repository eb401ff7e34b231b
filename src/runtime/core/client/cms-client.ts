import type { $Fetch } from 'ofetch'
import { bindApiClient } from './api-client'
import type { Around, Attach } from './api-client'
import { attachCredential } from './credential'
import { nuxtEnvName } from '../env-name'
import { cookieCredentials, staticTokens } from '../features'
import type { PublicApiConfig } from '../config-types'

/**
 * A `$fetch` bound to one API: its base URL, its extra headers and its credential. It runs on the
 * runtime's global `$fetch` (ofetch), which Nuxt and Nitro both provide, so the browser, SSR and
 * the server-held sessions share it. `attachMore` adds a mode's own part to the same requests
 * (only those under the API's base URL); `around` runs each call (a dynamic API's token session).
 */
export function createCmsClient<E = never>(name: string, api: PublicApiConfig, attachMore?: Attach<E>, around?: Around<E>): $Fetch {
  // Nitro's $fetch types narrow `method`; callers use plain ofetch options, so widen once here.
  return bindApiClient<E>($fetch as unknown as $Fetch, api.baseURL, (options, extra) => {
    for (const header in api.headers)
      options.headers.set(header, api.headers[header]!)
    if (staticTokens && api.auth === 'static') {
      // An empty token means the deployment forgot its env variable: fail loudly, not with a bare request.
      if (!api.token)
        throw new Error(`[nuxt-cms-auth] cmsAuth.apis.${name}.token is empty on this deployment (set ${nuxtEnvName(['public', 'cmsAuth', 'apis', name, 'token'])})`)
      attachCredential(options, api.credential, api.token)
    }
    // Direct cookie mode: the browser sends the CMS its session cookie (the CMS allows it by CORS).
    if (cookieCredentials && api.auth === 'cookie')
      options.credentials = 'include'
    return attachMore?.(options, extra)
  }, around)
}
