import { defineNuxtRouteMiddleware, navigateTo, useNuxtApp } from '#imports'
import type { ApiAuth } from './api-auth'

/**
 * `definePageMeta({ middleware: 'cms-auth' })`: visitors who are not logged in go to the API's
 * login route with `?redirect=<this page>`. `cmsAuth: '<api>'` in the page meta picks the API
 * when several are dynamic; otherwise the first one counts.
 */
export default defineNuxtRouteMiddleware((to) => {
  const nuxtApp = useNuxtApp()
  const auths = (nuxtApp as { _cmsAuth?: Record<string, ApiAuth> })._cmsAuth ?? {}
  const name = (to.meta.cmsAuth as string | undefined) ?? Object.keys(auths)[0]!
  const auth = auths[name]
  if (!auth)
    throw new Error(`[nuxt-cms-auth] the cms-auth middleware needs cmsAuth.apis.${name} with auth: 'dynamic' or 'cookie'`)
  // Direct cookie mode without `cookie.names`: SSR sent the CMS no cookie and cannot tell; the browser decides.
  if (import.meta.server && (auth as { serverBlind?: boolean }).serverBlind)
    return
  const decide = () => {
    if (!auth.public.loggedIn.value && to.path !== auth.loginRoute)
      return navigateTo({ path: auth.loginRoute, query: { redirect: to.fullPath } })
  }
  // A cookie session the page has not asked about yet is asked now (returned, not awaited: plugin-await.test.ts).
  const ready = (auth as { ready?: () => Promise<void> }).ready
  return ready ? ready().then(() => nuxtApp.runWithContext(decide)) : decide()
})
