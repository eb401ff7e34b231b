import type { $Fetch } from 'ofetch'
import { attachCredential, isRequestForApi } from '../core/credential'
import type { PublicApiConfig } from '../types'

/**
 * A `$fetch` bound to one API: its base URL, its extra headers and its credential. Nothing is
 * attached to a request that would leave the API's base URL (another host, `..`, an absolute URL).
 */
export function createCmsClient(name: string, api: PublicApiConfig): $Fetch {
  return $fetch.create({
    baseURL: api.baseURL,
    onRequest({ request, options }) {
      if (typeof request !== 'string' || !isRequestForApi(request, options.baseURL, api.baseURL))
        return
      const headers = options.headers as Headers
      for (const header in api.headers)
        headers.set(header, api.headers[header]!)
      if (api.auth === 'static') {
        // An empty token means the deployment forgot its env variable: fail loudly, not with a bare request.
        if (!api.token)
          throw new Error(`[nuxt-cms-auth] cmsAuth.apis.${name}.token is empty on this deployment`)
        attachCredential(options as { headers: Headers, query?: Record<string, unknown> }, api.credential, api.token)
      }
    },
  }) as $Fetch
}
