import { defineNuxtPlugin } from '#imports'
// Generated: only the presets and token storages the configured dynamic APIs use.
import { protocols, storages } from '#build/cms-auth-dynamic.mjs'
import { usePublicApis } from '../public-apis'
import { useCmsRegistry } from '../registry'
import { createTokenLogin } from './token-login'

/** Direct dynamic mode (registered only when an API uses it: a static-only app ships none of this). */
export default defineNuxtPlugin({
  name: 'cms-auth:dynamic',
  enforce: 'pre',
  setup(nuxtApp): Promise<void> | void {
    const apis = usePublicApis(nuxtApp)
    const { clients, logins } = useCmsRegistry(nuxtApp)
    const users: Promise<unknown>[] = []
    // The template holds the direct dynamic APIs alone.
    for (const name in protocols) {
      const api = apis[name]!
      const options = api.dynamic!
      const { login, client, loadUser } = createTokenLogin(nuxtApp, name, api, options, protocols[name]!, storages[name]!({ api: name, nuxtApp, options }))
      logins[name] = login
      clients[name] = client
      // During SSR, learning the user also refreshes a due access token, so the new cookie is in
      // this response; the browser then starts with a fresh token and does not refresh again.
      if (import.meta.server)
        users.push(loadUser())
    }
    // Returned, not awaited: an `await` here makes Nuxt import unctx into this file by absolute path,
    // which Vite 8.4 refuses next to Nuxt's external `unctx` (test/unit/app/plugin-await.test.ts).
    if (import.meta.server)
      return Promise.all(users).then(() => {})
  },
})
