import { definePreset } from './define'
import { oneOf, presetOptions } from './options'

// #region options
/** `cmsAuth.apis.<name>.storyblok`. */
export interface StoryblokOptions {
  /**
   * `'delivery'`: the Content Delivery API (`api.storyblok.com/v2/cdn`) with a public or preview
   * token as `?token=`. `'management'`: the Management API (`mapi.storyblok.com/v1`) with a
   * personal access token in `Authorization`, server only. @default 'delivery'
   */
  api?: 'delivery' | 'management'
}
// #endregion options

/**
 * Storyblok: read-only space tokens (public: published content; preview: drafts too) go in the
 * `token` query parameter. A Management API token acts for its whole account, so it is held by
 * the server only (`storyblok: { api: 'management' }` with `proxy: true`); an OAuth token takes
 * `credential: { header: 'Authorization', prefix: 'Bearer ' }`.
 */
export const storyblok = definePreset({
  name: 'storyblok',
  credentialLabel: 'access token',
  credential: { query: 'token' },
  supports: ['none', 'static'],
  // Both APIs answer list totals in headers, which a paginating page needs.
  responseHeaders: ['total', 'per-page'],
  // The preview token in the same `?token=`, asking for the draft versions.
  preview: { query: { version: 'draft' } },
  setup: ({ options, key }) => oneOf(presetOptions(options, `${key}.storyblok`, ['api']).api, `${key}.storyblok.api`, ['delivery', 'management']) === 'management'
    ? { credential: { header: 'Authorization' }, serverOnly: 'a Management API token acts for its whole account (a personal access token reaches every space its user can)', noPreview: 'the Management API has no published/draft split (preview is for the Content Delivery API)' }
    : {},
})
