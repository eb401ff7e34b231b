import type { $Fetch, FetchContext, FetchOptions } from 'ofetch'
import type { PublicApiConfig } from '../../types'
import { createCmsClient } from '../client'

/** Set by the proxy on a response whose session the CMS ended (the refresh token was rejected). */
export const SESSION_ENDED_HEADER = 'x-cms-auth-session'

/**
 * The browser's client of a server-held session API: the plain proxy client, plus a look at every
 * response so the page learns at once that the server ended its session. The hook is added to
 * each call, because ofetch replaces a `create()` default hook with a per-call one.
 */
export function createSessionClient(name: string, api: PublicApiConfig, onEnded: () => void): $Fetch {
  const base = createCmsClient(name, api)
  const onResponse = ({ response }: FetchContext) => {
    if (response?.headers.get(SESSION_ENDED_HEADER) === 'ended')
      onEnded()
  }
  const watched = (options: FetchOptions<any> = {}): FetchOptions<any> => ({ ...options, onResponse: [options.onResponse || [], onResponse].flat() })
  const client = ((request: string, options?: FetchOptions<any>) => base(request, watched(options))) as $Fetch
  client.raw = ((request: string, options?: FetchOptions<any>) => base.raw(request, watched(options))) as $Fetch['raw']
  client.native = base.native
  client.create = base.create
  return client
}
