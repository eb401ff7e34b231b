import type { H3Event } from 'h3'
import type { $Fetch } from 'ofetch'
import { bindApiClient } from '../../core/client/api-client'
import { redactError } from '../../core/proxy/redact-secrets'
import type { CmsApiName } from '../../types'
import { useProxyApi, useServerApiTarget } from '../proxy/proxy-config'
import { cookieSessionClient } from '../session/cookie-session'
import { useSessionApi } from '../session/session-config'
import { useRequestSession } from '../session/server-session'

const clients = new Map<string, $Fetch>()

/**
 * A `$fetch` for the app's own server routes that calls the CMS directly with the API's
 * credential (for a proxy API, the private one). The proxy's permissions do not apply: this is
 * the app's code, not a browser. For a server-held session API the call carries `event`'s session
 * (its access token, refreshed when due; a refresh updates that response's session cookie); for a
 * cookie-mode API, the visitor's CMS cookies (a cookie the CMS sets goes back in that response).
 */
export function useCmsServerApi(event: H3Event, name: CmsApiName): $Fetch {
  const proxy = useProxyApi(name)
  const sessionApi = proxy && useSessionApi(proxy)
  if (sessionApi)
    return eventClient(async () => (await useRequestSession(event, sessionApi)).client())
  if (proxy?.mode === 'proxy-cookie')
    return eventClient(() => cookieSessionClient(event, proxy))
  let client = clients.get(name)
  if (client)
    return client
  const target = useServerApiTarget(name)
  if (!target)
    throw new Error(`[nuxt-cms-auth] No API named "${name}": add it to cmsAuth.apis in nuxt.config`)
  client = bindApiClient($fetch as unknown as $Fetch, target.baseURL, (options) => {
    if (target.missingToken)
      throw new Error(`[nuxt-cms-auth] ${target.missingToken}`)
    for (const header in target.headers)
      options.headers.set(header, target.headers[header]!)
    if (target.query)
      options.query = { ...options.query, ...Object.fromEntries(new URLSearchParams(target.query)) }
    // Ghost Admin's signed token, WordPress's Basic: computed from the secret (ofetch awaits the hook).
    if (target.credentialHeaders) {
      return target.credentialHeaders().then((headers) => {
        for (const header in headers)
          options.headers.set(header, headers[header]!)
      })
    }
  })
  if (target.secretSpellings.length)
    client = withoutSecretsInErrors(client, target.secretSpellings)
  clients.set(name, client)
  return client
}

/** The client, whose errors no longer name the secret (core/proxy/redact-secrets.ts). */
function withoutSecretsInErrors(client: $Fetch, spellings: string[]): $Fetch {
  const clean = (error: unknown) => Promise.reject(redactError(error, spellings))
  const wrapped = (request: string, options?: object) => client(request, options).catch(clean)
  wrapped.raw = (request: string, options?: object) => client.raw(request, options).catch(clean)
  wrapped.native = client.native
  wrapped.create = client.create
  return wrapped as unknown as $Fetch
}

/** A client whose calls go through the one `open` resolves (it belongs to a request, so it is not cached). */
function eventClient(open: () => Promise<$Fetch>): $Fetch {
  const client = async (request: string, options?: object) => (await open())(request, options)
  client.raw = async (request: string, options?: object) => (await open()).raw(request, options)
  return client as unknown as $Fetch
}
