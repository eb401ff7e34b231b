import { addCustomTab } from '@nuxt/devtools-kit'
import { addPlugin, addServerHandler, addServerTemplate } from '@nuxt/kit'
import type { Register } from '../config/options'
import { DEVTOOLS_ROUTE } from '../runtime/devtools/devtools-route'
import { describeApi } from '../runtime/devtools/redact'

/**
 * The Nuxt DevTools tab, in `nuxi dev` only: a dev route that serves the tab's page and a redacted
 * view of the APIs, their token state and recent proxied requests, a Nitro plugin that records those
 * requests, and a browser plugin that reports logins and refreshes. A build registers none of it.
 */
export const registerDevtools: Register = ({ apis }, { nuxt, resolve }) => {
  if (!nuxt.options.dev)
    return
  const described = apis.map(api => describeApi(api))
  addServerTemplate({ filename: '#cms-auth-devtools-apis', getContents: () => `export default ${JSON.stringify(described, null, 2)}` })
  addServerHandler({ route: DEVTOOLS_ROUTE, handler: resolve('./runtime/devtools/devtools-handler') })
  addServerHandler({ route: `${DEVTOOLS_ROUTE}/**`, handler: resolve('./runtime/devtools/devtools-handler') })
  nuxt.hook('nitro:config', (nitro) => {
    nitro.plugins = [...(nitro.plugins ?? []), resolve('./runtime/devtools/request-recorder')]
  })
  addPlugin({ src: resolve('./runtime/devtools/auth-reporter'), mode: 'client' })
  addCustomTab({
    name: 'cms-auth',
    title: 'CMS Auth',
    icon: 'carbon:api-key',
    view: { type: 'iframe', src: DEVTOOLS_ROUTE },
  }, nuxt)
}
