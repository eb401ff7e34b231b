import type { $Fetch, FetchResponse } from 'ofetch'
import { attachCredential, isRequestForApi } from './credential'
import type { DynamicProtocol } from '../presets/define'
import type { TokenSession } from '../tokens/token-session'
import type { Send, WireResponse } from '../tokens/tokens'
import type { PublicApiConfig } from '../config-types'
import { createCmsClient } from './cms-client'

const wire = (response: FetchResponse<any>): WireResponse => ({ status: response.status, body: response._data, header: name => response.headers.get(name) })

/**
 * The API's `$fetch` for `auth: 'dynamic'`: the current access token (refreshed first when due)
 * on requests under the API's base URL, one refresh and one replay after an "expired" answer,
 * and NocoBase-style renewed tokens taken over from responses.
 */
export function createDynamicClient(name: string, api: PublicApiConfig, protocol: DynamicProtocol, session: () => TokenSession): $Fetch {
  api = withLoginKey(api)
  const base = createCmsClient(name, api)
  const verdictOf = (error: any) => error?.response ? protocol.classify({ status: error.response.status, body: error.data }) : undefined
  const raw = (request: any, options: any = {}) => session().call(async (token) => {
    const target = { headers: new Headers(options.headers), query: options.query }
    if (token && typeof request === 'string' && isRequestForApi(request, options.baseURL ?? api.baseURL, api.baseURL))
      attachCredential(target, api.credential, token)
    const response = await base.raw(request, { ...options, ...target })
    const renewed = protocol.renewedToken?.(wire(response))
    if (renewed)
      session().renew(renewed)
    return response
  }, verdictOf)
  const client = (request: any, options?: any) => raw(request, options).then(response => response._data)
  // `native` and `create` as the base client has them; `raw` is ours.
  return Object.assign(client, base, { raw }) as $Fetch
}

/** How the login/refresh flows reach the API: every status resolves, only a network failure rejects. */
export function createSend(api: PublicApiConfig): Send {
  api = withLoginKey(api)
  return async ({ path, method = 'POST', body, token }) => {
    const target = { headers: new Headers(api.headers), query: undefined as Record<string, unknown> | undefined }
    if (token)
      attachCredential(target, api.credential, token)
    return wire(await $fetch.raw(path, { baseURL: api.baseURL, method, body: body as Record<string, unknown>, ...target, ignoreResponseError: true }))
  }
}

/** Supabase: the project key rides beside the user's token on every request, login and refresh included. */
const withLoginKey = (api: PublicApiConfig): PublicApiConfig => api.key ? { ...api, headers: { ...api.headers, [api.key]: api.token! } } : api
