import type { $Fetch, FetchContext, FetchResponse } from 'ofetch'
import { attachCredential } from './credential'
import type { CredentialTarget } from './credential'
import type { DynamicProtocol } from '../presets/define'
import type { TokenSession } from '../tokens/token-session'
import type { Send, WireResponse } from '../tokens/tokens'
import type { PublicApiConfig } from '../config-types'
import { loginKeys, renewedTokens } from '../features'
import { createCmsClient } from './cms-client'

const wire = (response: FetchResponse<any>): WireResponse => ({ status: response.status, body: response._data, header: name => response.headers.get(name) })

/**
 * The API's `$fetch` for `auth: 'dynamic'`: each call runs in the token session (the current
 * access token, refreshed first when due; one refresh and one replay after an "expired" answer),
 * the token goes on the requests under the API's base URL, and NocoBase-style renewed tokens are
 * taken over from the API's responses. In the browser, during SSR and for server-held sessions.
 */
export function createDynamicClient(name: string, api: PublicApiConfig, protocol: DynamicProtocol, session: () => Pick<TokenSession, 'call' | 'renew'>): $Fetch {
  const verdictOf = (error: any) => error?.response ? protocol.classify({ status: error.response.status, body: error.data }) : undefined
  const renew = ({ response }: FetchContext) => {
    const renewed = response && protocol.renewedToken!(wire(response))
    if (renewed)
      session().renew(renewed)
  }
  return createCmsClient<string>(name, loginKeys ? withLoginKey(api) : api, (options, token) => {
    if (token)
      attachCredential(options, api.credential, token)
    if (renewedTokens && protocol.renewedToken)
      options.onResponse = [options.onResponse || [], renew].flat()
  }, call => session().call(call, verdictOf))
}

/** How the login/refresh flows reach the API: every status resolves, only a network failure rejects. */
export function createSend(api: PublicApiConfig): Send {
  if (loginKeys)
    api = withLoginKey(api)
  return async ({ path, method = 'POST', body, token }) => {
    const target: CredentialTarget = { headers: new Headers(api.headers) }
    if (token)
      attachCredential(target, api.credential, token)
    return wire(await $fetch.raw(path, { baseURL: api.baseURL, method, body: body as Record<string, unknown>, ...target, ignoreResponseError: true }))
  }
}

/** Supabase: the project key rides beside the user's token on every request, login and refresh included. */
function withLoginKey(api: PublicApiConfig): PublicApiConfig {
  return api.key ? { ...api, headers: { ...api.headers, [api.key]: api.token! } } : api
}
