import { defineNuxtPlugin, useRequestEvent } from '#imports'
import type { FetchContext } from 'ofetch'
// Generated: the user readers of the presets the cookie APIs use (none for Kuroco).
import { readUsers } from '#build/cms-auth-cookie.mjs'
import { createCmsClient } from '../../core/client/cms-client'
import { usePublicApis } from '../public-apis'
import { useCmsRegistry } from '../registry'
import { createCookieLogin } from './cookie-login'
import { forwardCookies } from './forward-cookies'

/**
 * Direct cookie mode (registered only when an API uses it): the browser calls the CMS with
 * credentials: 'include'; during SSR the visitor's CMS cookies (`cookie.names`) go upstream and
 * the CMS's answer decides the login state, so pages render logged in.
 */
export default defineNuxtPlugin({
  name: 'cms-auth:cookie',
  enforce: 'pre',
  setup(nuxtApp): Promise<void> | void {
    const apis = usePublicApis(nuxtApp)
    const { clients, logins } = useCmsRegistry(nuxtApp)
    const event = import.meta.server ? useRequestEvent() : undefined
    const cookieApis = Object.keys(apis).filter(name => apis[name]!.mode === 'direct-cookie')
    // Kuroco's rule: APIs on one upstream origin share the CMS session, so a login or logout
    // through one is news for the others (relative base URLs: this app's own origin).
    const originOf = (name: string) => new URL(apis[name]!.baseURL, 'http://self.invalid').origin
    const sharing = (name: string) => () => Promise.all(cookieApis.filter(other => other !== name && originOf(other) === originOf(name)).map(other => logins[other]?.load?.()))
    // The browser asks the CMS itself when no SSR asked for it (no names, `ssr: false`, a prerendered page).
    const serverAsked = nuxtApp.payload.serverRendered && !nuxtApp.payload.prerenderedAt
    // Returned, not awaited: an `await` here makes Nuxt import unctx into this file by absolute path,
    // which Vite 8.4 refuses next to Nuxt's external `unctx` (test/unit/app/plugin-await.test.ts).
    return Promise.all(cookieApis.map((name) => {
      const api = apis[name]!
      const cookie = api.cookie!
      const forwarding = event && cookie.names.length && !import.meta.prerender ? forwardCookies(event, cookie.names) : undefined
      const client = createCmsClient(name, api, forwarding?.attach)
      const login = logins[name] = createCookieLogin(nuxtApp, name, cookie, client, readUsers[name], sharing(name))
      if (import.meta.server) {
        clients[name] = client
        return forwarding?.hasCookies() && login.load()
      }
      // The page's client also notices that the CMS ended the session (a 401 while logged in).
      const watch = ({ response }: FetchContext) => {
        if (response?.status === 401)
          login.ended()
      }
      clients[name] = createCmsClient(name, api, (options) => {
        options.onResponse = [options.onResponse || [], watch].flat()
      })
      return (!cookie.names.length || !serverAsked) && login.load()
    })).then(() => {})
  },
})
