import { defineNuxtPlugin, useRequestEvent } from '#imports'
import type { $Fetch } from 'ofetch'
import type { CmsAuthState } from '../../core/auth-state'
import { usePublicApis } from '../public-apis'
import { useCmsRegistry } from '../registry'
import { createSessionClient } from './session-client'
import { createSessionLogin } from './session-login'

/** What SSR reaches through `event.context.cmsAuthSession` (server/session/session-plugin.ts). */
interface SessionBridge {
  state: (event: unknown, name: string) => Promise<CmsAuthState>
  client: (event: unknown, name: string, onEnded: () => void) => Promise<$Fetch>
}

/**
 * Server-held sessions (registered only when an API has one). During SSR the session is read on
 * the server through the bridge the Nitro plugin puts on the request, and the API's client calls
 * the CMS with the session's token there; in the browser the client is the proxy client, watching
 * for the server's word that the session ended.
 */
export default defineNuxtPlugin({
  name: 'cms-auth:session',
  enforce: 'pre',
  setup(nuxtApp): Promise<void> | void {
    const apis = usePublicApis(nuxtApp)
    const { clients, logins } = useCmsRegistry(nuxtApp)
    const event = import.meta.server ? useRequestEvent() : undefined
    const bridge: SessionBridge | undefined = event?.context.cmsAuthSession
    // Returned, not awaited: an `await` here makes Nuxt import unctx into this file by absolute path,
    // which Vite 8.4 refuses next to Nuxt's external `unctx` (test/unit/app/plugin-await.test.ts).
    return Promise.all(Object.entries(apis).filter(([, api]) => api.mode === 'proxy-session' || api.mode === 'proxy-cookie').map(async ([name, api]) => {
      const login = logins[name] = createSessionLogin(nuxtApp, name, api.session!, logins, bridge && (() => bridge.state(event, name)))
      if (bridge) {
        // A cookie session costs the CMS a call to learn who is logged in: asked only when the
        // page needs it (useCmsAuth in a component, the cms-auth middleware), once per upstream.
        if (api.mode === 'proxy-cookie')
          login.state.value = { ...login.state.value, unknown: true }
        else
          await login.load()
        clients[name] = await bridge.client(event, name, login.ended)
      }
      else if (import.meta.client) {
        clients[name] = createSessionClient(name, api, login.ended)
        // A page the server did not render (`ssr: false`) has not asked who is logged in yet.
        if (!nuxtApp.payload.serverRendered)
          await login.load()
      }
    })).then(() => {})
  },
})
