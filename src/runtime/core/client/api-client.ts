import type { $Fetch, FetchContext, FetchOptions } from 'ofetch'
import { isRequestForApi } from './credential'

/**
 * What a client adds to a request that stays under the API's base URL. `extra` is what the
 * client's `around` handed this call (a dynamic API's access token), or undefined.
 */
export type Attach<E = never> = (options: FetchContext['options'], extra?: E) => void | Promise<void>

/** Runs one call (plain or `.raw`), possibly more than once: a dynamic API refreshes and replays. */
export type Around<E> = <T>(call: (extra?: E) => Promise<T>) => Promise<T>

/**
 * `fetch` bound to one API: `baseURL` by default, and `attach` run on every request that stays
 * under the API's base URL (another host, `..` or an absolute URL elsewhere gets nothing).
 *
 * ofetch replaces a `create()` default onRequest with a per-call one instead of merging them, so
 * the hook is added to every call. The caller's hooks run first: ours must judge the URL they
 * may have rewritten.
 */
export function bindApiClient<E = never>(fetch: $Fetch, baseURL: string, attach: Attach<E>, around?: Around<E>): $Fetch {
  return withEachCall<E>(fetch, (options, extra) => ({
    baseURL,
    ...options,
    onRequest: [options.onRequest || [], ({ request, options }: FetchContext) => {
      if (typeof request === 'string' && isRequestForApi(request, options.baseURL, baseURL))
        return attach(options, extra)
    }].flat(),
  }), around)
}

/**
 * `fetch` with `adapt` applied to the options of every call (plain and `.raw`), each call run by
 * `around` (once, by default). Per-call hooks belong here rather than in `create()` defaults,
 * which ofetch replaces instead of merging.
 */
export function withEachCall<E = never>(fetch: $Fetch, adapt: (options: FetchOptions<any>, extra?: E) => FetchOptions<any>, around: Around<E> = call => call()): $Fetch {
  const client = ((request: string, options?: FetchOptions<any>) => around(extra => fetch(request, adapt(options || {}, extra)))) as $Fetch
  client.raw = ((request: string, options?: FetchOptions<any>) => around(extra => fetch.raw(request, adapt(options || {}, extra)))) as $Fetch['raw']
  client.native = fetch.native
  client.create = fetch.create
  return client
}
