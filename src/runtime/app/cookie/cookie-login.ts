import type { NuxtApp } from '#app'
import type { $Fetch, FetchError } from 'ofetch'
import { loggedOutState } from '../../core/auth-state'
import { cookieSessionState } from '../../core/cookies/cookie-state'
import type { PublicCookieConfig } from '../../types'
import { createRemoteLogin } from '../login/remote-login'

/**
 * Direct cookie mode's kind of login: the CMS's session cookie is httpOnly and belongs to the
 * browser (and, during SSR, to the page request), so the CMS alone says who is logged in: `login`
 * posts the credentials then asks `endpoints.user`, `logout` posts `endpoints.logout`. `client`
 * sends the cookie (credentials: 'include'; forwarded during SSR). `sessionChanged` runs after a
 * login or logout, before it resolves (the APIs that share this upstream's session ask again).
 */
export function createCookieLogin(nuxtApp: NuxtApp, name: string, cookie: PublicCookieConfig, client: $Fetch, readUser?: (body: any) => unknown, sessionChanged?: () => Promise<unknown>) {
  const { endpoints } = cookie

  async function ask() {
    const response = await client.raw(endpoints.user, { ignoreResponseError: true })
    return cookieSessionState(response.status, response._data, readUser)
      ?? Promise.reject(new Error(`[nuxt-cms-auth] cmsAuth.apis.${name}: ${endpoints.user} answered ${response.status}`))
  }

  const login = createRemoteLogin(nuxtApp, name, cookie.loginRoute, async (action, credentials) => {
    if (action === 'login') {
      await client(endpoints.login, { method: 'POST', body: credentials ?? {} })
      const next = await ask()
      if (next.status !== 'logged-in')
        throw new Error(`[nuxt-cms-auth] cmsAuth.apis.${name}: login accepted, but ${endpoints.user} saw no session cookie (docs/troubleshooting.md: "CORS with credentials")`)
      await sessionChanged?.()
      return next
    }
    if (action === 'logout') {
      // 401: the CMS had already ended the session.
      if (endpoints.logout)
        await client(endpoints.logout, { method: 'POST', body: {} }).catch((error: FetchError) => error.statusCode === 401 || Promise.reject(error))
      await sessionChanged?.()
      return loggedOutState
    }
    return ask()
  })
  return {
    ...login,
    // SSR cannot tell who is logged in: no `cookie.names` (the CMS gets no cookie), or a prerender (no visitor).
    serverBlind: !cookie.names.length || (import.meta.server && !!import.meta.prerender),
  }
}
