import type { $Fetch, FetchContext, FetchOptions } from 'ofetch'
import { isRequestForApi } from './credential'

/**
 * `fetch` bound to one API: `baseURL` by default, and `attach` run on every request that stays
 * under the API's base URL (another host, `..` or an absolute URL elsewhere gets nothing).
 *
 * ofetch replaces a `create()` default onRequest with a per-call one instead of merging them, so
 * the hook is added to every call. The caller's hooks run first: ours must judge the URL they
 * may have rewritten.
 */
export function bindApiClient(fetch: $Fetch, baseURL: string, attach: (options: FetchContext['options']) => void | Promise<void>): $Fetch {
  const onRequest = ({ request, options }: FetchContext) => {
    if (typeof request === 'string' && isRequestForApi(request, options.baseURL, baseURL))
      return attach(options)
  }
  return withEachCall(fetch, options => ({
    baseURL,
    ...options,
    onRequest: [options.onRequest || [], onRequest].flat(),
  }))
}

/**
 * `fetch` with `adapt` applied to the options of every call (plain and `.raw`). Per-call hooks
 * belong here rather than in `create()` defaults, which ofetch replaces instead of merging.
 */
export function withEachCall(fetch: $Fetch, adapt: (options: FetchOptions<any>) => FetchOptions<any>): $Fetch {
  const client = ((request: string, options?: FetchOptions<any>) => fetch(request, adapt(options || {}))) as $Fetch
  client.raw = ((request: string, options?: FetchOptions<any>) => fetch.raw(request, adapt(options || {}))) as $Fetch['raw']
  client.native = fetch.native
  client.create = fetch.create
  return client
}
