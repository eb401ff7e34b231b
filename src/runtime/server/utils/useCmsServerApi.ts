import type { H3Event } from 'h3'
import { setResponseHeader } from 'h3'
import type { $Fetch } from 'ofetch'
import { bindApiClient } from '../../core/client/api-client'
import { redactError } from '../../core/proxy/redact-secrets'
import type { CmsApiName } from '../../types'
import type { PreviewApi } from '../preview/preview-config'
import { PREVIEW_CACHE_CONTROL, previewEntryFor } from '../preview/preview-state'
import { useProxyApi, useServerApiTarget } from '../proxy/proxy-config'
import type { ServerApiTarget } from '../proxy/proxy-config'
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
  const published = staticClient(name)
  const preview = proxy?.preview
  // An editor in preview of this API gets drafts here too, as the proxy would give them.
  if (preview)
    return eventClient(async () => (await previewEntryFor(event, name)) ? previewClient(event, name, preview) : published)
  return published
}

function staticClient(name: string): $Fetch {
  let client = clients.get(name)
  if (client)
    return client
  const target = useServerApiTarget(name)
  if (!target)
    throw new Error(`[nuxt-cms-auth] No API named "${name}": add it to cmsAuth.apis in nuxt.config`)
  client = targetClient(target)
  clients.set(name, client)
  return client
}

/** A client that places `target`'s credential on every call, its errors without the secret. */
function targetClient(target: ServerApiTarget): $Fetch {
  const client = bindApiClient($fetch as unknown as $Fetch, target.baseURL, (options) => {
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
  return target.secretSpellings.length ? withoutSecretsInErrors(client, target.secretSpellings) : client
}

/**
 * The preview host, token and query (the link's carried values too: microCMS `draftKey`); the
 * response that uses it is this editor's alone (`private, no-store`).
 */
async function previewClient(event: H3Event, name: string, preview: PreviewApi): Promise<$Fetch> {
  if (!preview.target)
    throw new Error(`[nuxt-cms-auth] ${preview.problem}`)
  const { carried = {} } = (await previewEntryFor(event, name))!
  setResponseHeader(event, 'cache-control', PREVIEW_CACHE_CONTROL)
  const query = new URLSearchParams({ ...preview.target.query, ...carried }).toString()
  return targetClient({ baseURL: preview.target.baseURL, headers: preview.target.headers, query, secretSpellings: preview.target.secretSpellings })
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
