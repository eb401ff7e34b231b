import { defineNitroPlugin } from 'nitropack/runtime'
import { sessionPasswordProblem } from '../../core/session/session-data'
import { sessionPassword } from '../session/session-config'
import { isPreviewRequest, PREVIEW_CACHE_CONTROL } from './preview-state'

/**
 * Preview mode's server side: refuses to start without a password to seal the preview cookie
 * (the same `NUXT_CMS_AUTH_SESSION_PASSWORD` sessions use), and marks a page rendered in preview
 * as this browser's alone.
 */
export default defineNitroPlugin((nitroApp) => {
  const problem = sessionPasswordProblem(sessionPassword())
  if (problem)
    throw new Error(`[nuxt-cms-auth] preview mode seals its cookie: ${problem}`)
  nitroApp.hooks.hook('render:response', async (response, { event }) => {
    if (!await isPreviewRequest(event))
      return
    if (import.meta.prerender)
      throw new Error('[nuxt-cms-auth] a page was prerendered in preview; prerendering must never see an editor\'s cookie.')
    response.headers = { ...response.headers, 'cache-control': PREVIEW_CACHE_CONTROL }
  })
})
