import { defineNuxtRouteMiddleware, navigateTo, useNuxtApp } from '#imports'
import { usePublicApis } from '../public-apis'
import { useCmsRegistry } from '../registry'
import { loginRedirect } from './login-route'

/**
 * `definePageMeta({ middleware: 'cms-auth' })`: visitors who are not logged in go to the API's
 * login route with `?redirect=<this page>`. `cmsAuth: '<api>'` in the page meta picks the API
 * when several have a login; otherwise the first of them in `cmsAuth.apis` counts.
 */
export default defineNuxtRouteMiddleware((to) => {
  const nuxtApp = useNuxtApp()
  const { logins } = useCmsRegistry(nuxtApp)
  const picked = to.meta.cmsAuth
  const name = typeof picked === 'string' ? picked : Object.keys(usePublicApis(nuxtApp)).find(api => logins[api])
  const login = name ? logins[name] : undefined
  if (!login)
    throw new Error(`[nuxt-cms-auth] the cms-auth middleware needs cmsAuth.apis.${name} with auth: 'dynamic' or 'cookie'`)
  // SSR cannot tell who is logged in (direct cookie mode without `cookie.names`): the browser decides.
  if (import.meta.server && login.serverBlind)
    return
  const decide = () => {
    const redirect = !login.public.loggedIn.value && loginRedirect(to, login.loginRoute)
    if (redirect)
      return navigateTo(redirect)
  }
  // A cookie session the page has not asked about yet is asked now (returned, not awaited: plugin-await.test.ts).
  const asking = login.state.value.unknown && login.ready?.()
  return asking ? asking.then(() => nuxtApp.runWithContext(decide)) : decide()
})
