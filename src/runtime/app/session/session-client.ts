import type { $Fetch, FetchContext } from 'ofetch'
import { withEachCall } from '../../core/client/api-client'
import type { PublicApiConfig } from '../../types'
import { createCmsClient } from '../../core/client/cms-client'

/** Set by the proxy on a response whose session the CMS ended (the refresh token was rejected). */
export const SESSION_ENDED_HEADER = 'x-cms-auth-session'

/**
 * The browser's client of a server-held session API: the plain proxy client, plus a look at every
 * response so the page learns at once that the server ended its session.
 */
export function createSessionClient(name: string, api: PublicApiConfig, onEnded: () => void): $Fetch {
  const base = createCmsClient(name, api)
  const onResponse = ({ response }: FetchContext) => {
    if (response?.headers.get(SESSION_ENDED_HEADER) === 'ended')
      onEnded()
  }
  return withEachCall(base, options => ({ ...options, onResponse: [options.onResponse || [], onResponse].flat() }))
}
