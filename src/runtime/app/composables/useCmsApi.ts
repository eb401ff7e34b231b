import type { $Fetch } from 'ofetch'
import type { CmsApiName } from '../../types'
import { createCmsClient } from '../../core/client/cms-client'
import { configHints } from '../../core/features'
import { markInProcess } from '../../core/client/in-process'
import { usePublicApis } from '../public-apis'
import { useCmsRegistry } from '../registry'

/**
 * A `$fetch`-like client for one configured API: `await useCmsApi('news')('/content/list')`.
 * Clients live on the Nuxt app instance (registry.ts), which is per request on the server, so
 * nothing is shared between two users' SSR renders.
 */
export function useCmsApi(name: CmsApiName): $Fetch {
  const { clients } = useCmsRegistry()
  const api = usePublicApis()[name]
  if (!api)
    throw new Error(`[nuxt-cms-auth] No API named "${name}"${configHints ? ': add it to cmsAuth.apis in nuxt.config' : ''}`)
  // The plugin of a login mode registered its APIs' clients already; `direct` and `proxy` ones are
  // built here. During SSR a proxy API's calls reach the proxy route in-process: say they are ours.
  return clients[name] ||= createCmsClient(name, api, import.meta.server && api.mode === 'proxy' ? markInProcess : undefined)
}
