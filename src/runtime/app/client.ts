import type { $Fetch, FetchContext, FetchOptions } from 'ofetch'
import { attachCredential, isRequestForApi } from '../core/credential'
import type { PublicApiConfig } from '../types'

/**
 * A `$fetch` bound to one API: its base URL, its extra headers and its credential. Nothing is
 * attached to a request that would leave the API's base URL (another host, `..`, an absolute URL).
 */
export function createCmsClient(name: string, api: PublicApiConfig): $Fetch {
  const attach = ({ request, options }: FetchContext) => {
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
  }
  // ofetch replaces a default onRequest with a per-call one instead of merging them, so ours is
  // added to every call. The caller's hooks run first: ours must see the URL they may rewrite.
  const withApi = (options: FetchOptions<any> = {}): FetchOptions<any> => ({
    baseURL: api.baseURL,
    ...options,
    onRequest: [options.onRequest || [], attach].flat(),
  })
  // Nitro's $fetch types narrow `method`; these options come from ofetch callers, so widen once here.
  const nitroFetch = $fetch as unknown as $Fetch
  const client = ((request: string, options?: FetchOptions<any>) => nitroFetch(request, withApi(options))) as $Fetch
  client.raw = ((request: string, options?: FetchOptions<any>) => nitroFetch.raw(request, withApi(options))) as $Fetch['raw']
  client.native = nitroFetch.native
  client.create = nitroFetch.create
  return client
}
