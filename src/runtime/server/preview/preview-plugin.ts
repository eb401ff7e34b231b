import { getCookie } from 'h3'
import type { H3Event } from 'h3'
import { defineNitroPlugin } from 'nitropack/runtime'
import { sessionPasswordProblem } from '../../core/session/session-data'
import { sessionPassword } from '../session/session-config'
import { PREVIEW_COOKIE } from '../../core/preview/preview-cookie-data'
import { isPreviewRequest, PREVIEW_CACHE_CONTROL, previewEntriesOf } from './preview-state'

/**
 * What the app's SSR plugin asks through `event.context.cmsAuthPreview` (app/preview/plugin.ts).
 * Each answer is read from the event it is given, never kept on the context: a cached route
 * renders with its own event (the same context, but no cookies) and so never sees a preview.
 */
export interface PreviewBridge {
  /** The APIs the request is in preview for: names only, the page learns nothing else. */
  apis: (event: H3Event) => Promise<string[]>
  /** The preview cookie as a `Cookie` header, for SSR's in-process calls to the preview routes. */
  cookie: (event: H3Event) => string
}

const bridge: PreviewBridge = {
  apis: async event => Object.keys(await previewEntriesOf(event)),
  cookie: event => `${PREVIEW_COOKIE}=${encodeURIComponent(getCookie(event, PREVIEW_COOKIE) ?? '')}`,
}

/**
 * Preview mode's server side: refuses to start without a password to seal the preview cookie
 * (the same `NUXT_CMS_AUTH_SESSION_PASSWORD` sessions use), and marks a page rendered in preview
 * as this browser's alone.
 */
export default defineNitroPlugin((nitroApp) => {
  const problem = sessionPasswordProblem(sessionPassword())
  if (problem)
    throw new Error(`[nuxt-cms-auth] preview mode seals its cookie: ${problem}`)
  nitroApp.hooks.hook('request', (event) => {
    event.context.cmsAuthPreview = bridge
  })
  nitroApp.hooks.hook('render:response', async (response, { event }) => {
    if (!await isPreviewRequest(event))
      return
    if (import.meta.prerender)
      throw new Error('[nuxt-cms-auth] a page was prerendered in preview; prerendering must never see an editor\'s cookie.')
    response.headers = { ...response.headers, 'cache-control': PREVIEW_CACHE_CONTROL }
  })
})
