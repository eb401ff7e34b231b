import type { H3Event } from 'h3'
import type { $Fetch } from 'ofetch'
import { bindApiClient } from '../../core/api-client'
import type { CmsApiName } from '../../types'
import { useServerApiTarget } from '../proxy-config'

const clients = new Map<string, $Fetch>()

/**
 * A `$fetch` for the app's own server routes that calls the CMS directly with the API's
 * credential (for a proxy API, the private one). The proxy's permissions do not apply: this is
 * the app's code, not a browser. `event` ties the call to a request for modes with per-user state.
 */
export function useCmsServerApi(_event: H3Event, name: CmsApiName): $Fetch {
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
  })
  clients.set(name, client)
  return client
}
