import { defineNuxtPlugin, useRequestEvent, usePreviewMode, useState } from '#imports'
import type { NuxtApp } from '#app'
import type { H3Event } from 'h3'
import { createCmsClient } from '../../core/client/cms-client'
import { markInProcess } from '../../core/client/in-process'
import type { PublicApiConfig } from '../../types'
import { usePublicApis } from '../public-apis'
import { useCmsRegistry } from '../registry'

/** What SSR reaches through `event.context.cmsAuthPreview` (server/preview/preview-plugin.ts). */
interface PreviewBridge {
  apis: (event: H3Event) => Promise<string[]>
  cookie: (event: H3Event) => string
}

/** The names of the APIs this browser is in preview for; the payload carries nothing more. */
export const usePreviewApis = () => useState<string[]>('cms-auth:preview', () => [])

/**
 * Preview mode (registered only when an API has `preview`). The server's verdict, read from the
 * request's sealed cookie during SSR, travels in the payload as API names only; each API in
 * preview then gets a client bound to its proxy route, where the server adds the preview token
 * (SSR calls it in-process with the same cookie). Nuxt's `usePreviewMode` is turned on to match.
 */
export default defineNuxtPlugin({
  name: 'cms-auth:preview',
  enforce: 'pre',
  setup(nuxtApp): Promise<void> {
    const inPreview = usePreviewApis()
    const event = import.meta.server ? useRequestEvent() : undefined
    const bridge: PreviewBridge | undefined = event?.context.cmsAuthPreview
    // Returned, not awaited (session/plugin.ts says why).
    return (bridge && event ? bridge.apis(event) : Promise.resolve(inPreview.value)).then((names) => {
      inPreview.value = names
      const cookie = bridge && event ? bridge.cookie(event) : ''
      nuxtApp.runWithContext(() => startPreview(nuxtApp, names, cookie))
    })
  },
})

function startPreview(nuxtApp: NuxtApp, names: string[], cookie: string): void {
  const apis = usePublicApis(nuxtApp)
  const { clients } = useCmsRegistry(nuxtApp)
  for (const name of names) {
    const api = apis[name]
    if (!api?.preview)
      continue
    // The preview route adds the credential: the page sends none of its own.
    const previewApi: PublicApiConfig = { mode: 'proxy', baseURL: api.preview, auth: 'none', credential: api.credential }
    clients[name] = createCmsClient(name, previewApi, import.meta.server
      ? (options) => {
          markInProcess(options)
          options.headers.set('cookie', cookie)
        }
      : undefined)
  }
  // The page was rendered with drafts already: no refresh on start or on each navigation.
  usePreviewMode({ shouldEnable: () => names.length > 0, getState: state => state, onEnable: () => {}, onDisable: () => {} })
}
