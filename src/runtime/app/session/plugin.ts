import { defineNuxtPlugin, useRequestEvent } from '#imports'
import { createSessionAuth } from './session-auth'
import { createSessionClient } from './session-client'
import { usePublicApis } from '../public-apis'

type SessionAuth = ReturnType<typeof createSessionAuth>
interface SessionBridge {
  state: (event: unknown, name: string) => Promise<SessionAuth['state']['value']>
  client: (event: unknown, name: string, onEnded: () => void) => Promise<unknown>
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
    const apis = usePublicApis()
    const app = nuxtApp as typeof nuxtApp & { _cmsAuth?: Record<string, unknown>, _cmsClients?: Record<string, unknown> }
    const auths = app._cmsAuth ||= {}
    const clients = app._cmsClients ||= {}
    const event = import.meta.server ? useRequestEvent() : undefined
    const bridge = event?.context.cmsAuthSession as SessionBridge | undefined
    // Returned, not awaited: an `await` here makes Nuxt import unctx into this file by absolute path,
    // which Vite 8.4 refuses next to Nuxt's external `unctx` (test/unit/app/plugin-await.test.ts).
    return Promise.all(Object.entries(apis).filter(([, api]) => api.mode === 'proxy-session' || api.mode === 'proxy-cookie').map(async ([name, api]) => {
      const auth = auths[name] = createSessionAuth(nuxtApp, name, api.session!, auths as Record<string, SessionAuth>, bridge && (() => bridge.state(event, name)))
      if (bridge) {
        // A cookie session costs the CMS a call to learn who is logged in: asked only when the
        // page needs it (useCmsAuth in a component, the cms-auth middleware), once per upstream.
        if (api.mode === 'proxy-cookie')
          auth.state.value = { ...auth.state.value, unknown: true }
        else
          await auth.load()
        clients[name] = await bridge.client(event, name, auth.ended)
      }
      else if (import.meta.client) {
        clients[name] = createSessionClient(name, api, auth.ended)
        // A page the server did not render (`ssr: false`) has not asked who is logged in yet.
        if (!nuxtApp.payload.serverRendered)
          await auth.load()
      }
    })).then(() => {})
  },
})
