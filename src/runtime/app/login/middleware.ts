import type { RouteMiddleware } from '#app'
import { requireLogin } from '../registry'
import { loginRedirect } from './login-route'

/**
 * `definePageMeta({ middleware: 'cms-auth' })`: visitors who are not logged in go to the API's
 * login route with `?redirect=<this page>`. `cmsAuth: '<api>'` in the page meta picks the API
 * when several have a login; otherwise the first of them in `cmsAuth.apis` counts.
 *
 * The redirect is returned, not passed to `navigateTo`, and nothing here imports what the
 * entry does not: this chunk then needs no chunk of Nuxt's of its own (bench:bundle, 0.4 KB).
 */
const cmsAuthMiddleware: RouteMiddleware = (to) => {
  const picked = to.meta.cmsAuth
  const login = requireLogin('the cms-auth middleware', typeof picked === 'string' ? picked : undefined)
  // SSR cannot tell who is logged in (direct cookie mode without `cookie.names`): the browser decides.
  if (import.meta.server && login.serverBlind)
    return
  const decide = () => (!login.public.loggedIn.value && loginRedirect(to, login.loginRoute)) || undefined
  // A cookie session the page has not asked about yet is asked now (returned, not awaited: plugin-await.test.ts).
  const asking = login.state.value.unknown && login.ready?.()
  // `decide` needs no Nuxt context once the state is known: it only reads it.
  return asking ? asking.then(decide) : decide()
}

export default cmsAuthMiddleware
