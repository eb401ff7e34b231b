import { addServerHandler, addServerTemplate, addTypeTemplate } from '@nuxt/kit'
import type { Register } from './options'
import type { ResolvedApi } from './resolve-apis'

/**
 * A webhook route per API with `webhook` (`<proxyPrefix>/_webhook/<name>`, nothing when none has
 * one), and what each needs to verify a request, as a server template; the secrets stay in
 * private runtimeConfig.
 */
export const registerWebhooks: Register = ({ apis }, { resolve }) => {
  const hooked = apis.filter(api => api.webhook)
  addServerTemplate({
    filename: '#cms-auth-webhook-options',
    getContents: () => `export default ${JSON.stringify({ apis: Object.fromEntries(hooked.map(api => [api.name, builtWebhook(api)])) }, null, 2)}`,
  })
  for (const api of hooked)
    addServerHandler({ route: api.webhook!.route, handler: resolve('./runtime/server/webhooks/webhook-handler') })
  if (hooked.length) {
    // `cms-auth:webhook` typed in the app's server code (nitro.hooks.hook('cms-auth:webhook', …)).
    addTypeTemplate({ filename: 'types/cms-auth-webhook.d.ts', getContents: () => [
      `import type { CmsWebhookContext } from ${JSON.stringify(resolve('./runtime/server/webhooks/webhook-handler'))}`,
      `declare module 'nitropack/types' {`,
      `  interface NitroRuntimeHooks {`,
      `    'cms-auth:webhook': (context: CmsWebhookContext) => void | Promise<void>`,
      `  }`,
      `}`,
      `export {}`,
      '',
    ].join('\n') }, { nitro: true })
  }
}

function builtWebhook(api: ResolvedApi) {
  const { route: _route, ...webhook } = api.webhook!
  // A direct API, or a proxy without a cache, has nothing to purge: the hook still runs.
  const cached = Boolean(api.proxy && (api.proxy.cache || api.proxy.cacheRules.some(rule => rule.cache)))
  return { ...webhook, cached }
}
