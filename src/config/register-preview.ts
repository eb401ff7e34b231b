import { addComponent, addImports, addPlugin, addServerHandler, addServerImports, addServerPlugin } from '@nuxt/kit'
import type { Register } from './options'
import { ensureSessionPassword } from './register-session'

/**
 * Preview mode, only when an API has `preview` (nothing of it reaches other apps' bundles): the
 * enter/leave route, the Nitro plugin (password check, no-store on preview pages),
 * `createCmsPreviewLink` for the app's server routes, and the app's plugin, `useCmsPreview` and
 * `<CmsPreviewBanner>`. Each preview API's proxy route is registered by register-proxy.ts.
 */
export const registerPreview: Register = ({ apis, proxyPrefix }, { nuxt, resolve, logger }) => {
  if (!apis.some(api => api.preview))
    return
  // The preview cookie is sealed with the password server-held sessions use.
  ensureSessionPassword(nuxt, logger)
  const handler = resolve('./runtime/server/preview/preview-routes')
  addServerHandler({ route: `${proxyPrefix}/_preview`, handler })
  addServerHandler({ route: `${proxyPrefix}/_preview/**`, handler })
  addServerPlugin(resolve('./runtime/server/preview/preview-plugin'))
  addServerImports([{ name: 'createCmsPreviewLink', from: resolve('./runtime/server/utils/createCmsPreviewLink') }])
  addPlugin(resolve('./runtime/app/preview/plugin'))
  addImports([{ name: 'useCmsPreview', from: resolve('./runtime/app/preview/useCmsPreview') }])
  addComponent({ name: 'CmsPreviewBanner', filePath: resolve('./runtime/app/preview/CmsPreviewBanner.vue') })
}
