import { defineNitroPlugin } from 'nitropack/runtime'
import type { H3Event } from 'h3'
import type { $Fetch } from 'ofetch'
import { withEachCall } from '../../core/client/api-client'
import { loggedOutState } from '../../core/cookies/cookie-state'
import { sessionPasswordProblem } from '../../core/session/session-data'
import { hasSealedSessions, useProxyApi } from '../proxy/proxy-config'
import type { ProxyApi } from '../proxy/proxy-config'
import { isStorageUnavailable } from '../storage/storage-bound'
import { cookieSessionClient, sharingApis, useCookieSession } from './cookie-session'
import { sessionPassword, useSessionApi } from './session-config'
import { useRequestSession } from './server-session'

/** What SSR reaches through `event.context.cmsAuthSession` (app code cannot import server code). */
export const sessionBridge = {
  /**
   * Who is logged in, for the page about to render. A token that is due is refreshed first, so a
   * refused refresh renders logged out. Storage that does not answer renders logged out too, and
   * leaves the session as it was: it works again once storage is back.
   */
  async state(event: H3Event, name: string) {
    // Cookie mode: read from the sealed copy of the CMS's cookies that page requests carry.
    const proxy = useProxyApi(name)
    if (proxy?.mode === 'proxy-cookie')
      return useCookieSession(event, proxy).state().catch(() => ({ ...loggedOutState, shared: sharingApis(proxy) }))
    try {
      const session = await useRequestSession(event, sessionApiNamed(name))
      await session.settle()
      return session.state()
    }
    catch (error) {
      if (isStorageUnavailable(error))
        return loggedOutState
      throw error
    }
  },
  /** The API's client during SSR; `onEnded` runs when a call finds the session over. */
  async client(event: H3Event, name: string, onEnded?: () => void) {
    const proxy = useProxyApi(name)
    if (proxy?.mode === 'proxy-cookie')
      return withoutCmsAddress(await cookieSessionClient(event, proxy, onEnded), proxy)
    const session = useRequestSession(event, sessionApiNamed(name))
    // A session that storage could not read: the page's calls fail with that 503, not this plugin.
    const opened = await session.catch(() => undefined)
    return opened ? withoutCmsAddress(opened.client(onEnded), proxy!) : failingClient(session)
  },
}

/**
 * SSR calls the CMS itself, and a fetch error's message names the URL it called: the page (and
 * its payload) gets the proxy route there instead, as in the browser, since the CMS's address is
 * the server's alone (NUXT_CMS_AUTH_APIS_<NAME>_BASE_URL).
 */
function withoutCmsAddress(client: $Fetch, proxy: ProxyApi): $Fetch {
  const hide = (error: unknown): never => {
    if (error instanceof Error && proxy.baseURL && error.message.includes(proxy.baseURL))
      error.message = error.message.replaceAll(proxy.baseURL, proxy.route)
    throw error
  }
  return withEachCall(client, options => options, call => call().catch(hide))
}

function failingClient(session: Promise<unknown>) {
  const fail = () => session.then(() => undefined)
  return Object.assign(fail, { raw: fail })
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
