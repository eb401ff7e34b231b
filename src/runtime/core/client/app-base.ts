import { joinURL } from 'ufo'
import type { PublicApiConfig } from '../config-types'
import { previewRoutes, sessionRoutes } from '../features'

/**
 * A base URL that is a path (`/api/_cms/contact`, `/mock-cms/…`) names a route of this app, so
 * under an `app.baseURL` other than `/` it lives below that base, as Nuxt's own `$fetch('/api/…')`
 * does. Absolute URLs are left alone.
 */
export function underAppBase(url: string, appBase: string): string {
  return url[0] === '/' ? joinURL(appBase, url) : url
}

/** Every API's base URL, session route and preview route under `appBase`: the config as the app calls it. */
export function withAppBase<T extends PublicApiConfig>(apis: Record<string, T>, appBase: string): Record<string, T> {
  if (appBase === '/')
    return apis
  const moved: Record<string, T> = {}
  for (const name in apis) {
    const api = apis[name]!
    moved[name] = {
      ...api,
      baseURL: underAppBase(api.baseURL, appBase),
      ...(sessionRoutes && api.session ? { session: { ...api.session, route: underAppBase(api.session.route, appBase) } } : {}),
      ...(previewRoutes && api.preview ? { preview: underAppBase(api.preview, appBase) } : {}),
    }
  }
  return moved
}
