import { configError } from '../config-error'
import { bearer, definePreset } from './define'
import { oneOf, presetOptions } from './options'

// #region options
/** `cmsAuth.apis.<name>.contentful`. */
export interface ContentfulOptions {
  /**
   * `'delivery'`: the Content Delivery API (`cdn.contentful.com`) or the Preview API
   * (`preview.contentful.com`) with that API's token. `'management'`: the Content Management API
   * (`api.contentful.com`), server only. @default 'delivery'
   */
  api?: 'delivery' | 'management'
}
// #endregion options

/** The Content Preview API's URL from the Content Delivery API's; `undefined` for another host. */
const previewHostOf = (url: string): string | undefined => /^https:\/\/cdn(?:\.eu)?\.contentful\.com(?=\/|$)/.test(url) ? url.replace('://cdn', '://preview') : undefined

// Contentful's personal access tokens (Content Management API) carry this prefix.
const PERSONAL_ACCESS_TOKEN = /^CFPAT-/

/**
 * Contentful: `Authorization: Bearer <token>` on every API; the host decides which one. Delivery
 * tokens are read-only and may be public; a management token can change (and delete) everything
 * its user can, so it is held by the server only.
 */
export const contentful = definePreset({
  name: 'contentful',
  credentialLabel: 'access token',
  credential: bearer(),
  supports: ['static'],
  responseHeaders: ['x-contentful-request-id'],
  // Drafts come from the Preview API: another host, with the preview token as Bearer.
  preview: { baseURL: previewHostOf },
  setup: ({ options, key, token }) => {
    const api = oneOf(presetOptions(options, `${key}.contentful`, ['api']).api, `${key}.contentful.api`, ['delivery', 'management'])
    if (api === 'delivery' && PERSONAL_ACCESS_TOKEN.test(token))
      throw configError(`${key}.token is a Content Management API token (CFPAT-…), which can write: set contentful: { api: 'management' } and proxy: true, or use a delivery token.`)
    return api === 'management' ? { serverOnly: 'a Content Management API token can change and delete everything its user can', noPreview: 'the Content Management API already sees drafts (preview is for the Content Delivery API)' } : {}
  },
})
