import type { RouteLocationNormalized } from 'vue-router'

/**
 * Where a visitor who is not logged in goes from `route`: the login route, with `?redirect=` back
 * here. Nowhere when `route` is the login route itself (a login page behind `cms-auth` would loop).
 */
export function loginRedirect(route: Pick<RouteLocationNormalized, 'path' | 'fullPath'>, loginRoute: string): { path: string, query: { redirect: string } } | undefined {
  return route.path === loginRoute ? undefined : { path: loginRoute, query: { redirect: route.fullPath } }
}
