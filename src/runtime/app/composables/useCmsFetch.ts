import type { FetchError } from 'ofetch'
import type { MaybeRefOrGetter } from 'vue'
import type { AsyncData, UseFetchOptions } from '#app'
import { useFetch } from '#imports'
import type { CmsApiName } from '../../types'
import { useCmsApi } from './useCmsApi'

/**
 * `useFetch` against one configured API: `useCmsFetch('news', '/content/list', { query })`.
 * Nuxt injects a per-call-site key as the last argument (registered as a keyed composable);
 * the API name is part of the key so two APIs with the same path never share cached data.
 */
export function useCmsFetch<T = unknown>(
  name: CmsApiName,
  path: MaybeRefOrGetter<string>,
  options?: UseFetchOptions<T> | string,
  autoKey?: string,
): AsyncData<T | undefined, FetchError | undefined> {
  const [fetchOptions, key] = typeof options === 'string' ? [{}, options] : [options ?? {}, autoKey]
  return useFetch(path as string, { ...fetchOptions, $fetch: useCmsApi(name) } as any, `cms:${name}:${key ?? ''}`) as any
}
