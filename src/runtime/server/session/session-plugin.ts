import { defineNitroPlugin } from 'nitropack/runtime'
import type { H3Event } from 'h3'
import { sessionPasswordProblem } from '../../core/session-data'
import { hasSealedSessions, useProxyApi } from '../proxy-config'
import { cookieSessionClient, useCookieSession } from './cookie-session'
import { sessionPassword, useSessionApi } from './session-config'
import { useRequestSession } from './server-session'

/** What SSR reaches through `event.context.cmsAuthSession` (app code cannot import server code). */
export const sessionBridge = {
  async state(event: H3Event, name: string) {
    // Cookie mode: read from the sealed copy of the CMS's cookies that page requests carry.
    const proxy = useProxyApi(name)
    if (proxy?.cookieSession)
      return useCookieSession(event, proxy).state()
    const api = sessionApiNamed(name)
    return (await useRequestSession(event, api)).state()
  },
  async client(event: H3Event, name: string) {
    const proxy = useProxyApi(name)
    if (proxy?.cookieSession)
      return cookieSessionClient(event, proxy)
    const api = sessionApiNamed(name)
    return (await useRequestSession(event, api)).client()
  },
}

function sessionApiNamed(name: string) {
  const proxy = useProxyApi(name)
  const api = proxy && useSessionApi(proxy)
  if (!api)
    throw new Error(`[nuxt-cms-auth] cmsAuth.apis.${name} is not a server-held session API`)
  return api
}

/**
 * Registered when an API keeps its session on the server. A server without a usable session
 * password refuses to start (rather than failing at the first login), and every request's
 * context gets the bridge SSR uses to read the session and call the CMS with it.
 */
export default defineNitroPlugin((nitroApp) => {
  const problem = hasSealedSessions && sessionPasswordProblem(sessionPassword())
  if (problem)
    throw new Error(`[nuxt-cms-auth] ${problem}. Set it in the server's environment; the server cannot start without it.`)
  nitroApp.hooks.hook('request', (event) => {
    event.context.cmsAuthSession = sessionBridge
  })
})
