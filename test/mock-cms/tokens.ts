/** Credentials the mock accepts; the playground's defaults and `.env.example` use these. */
export const mockTokens = {
  kuroco: 'demo-kuroco-static-token',
  microcms: 'demo-microcms-read-key',
  directus: 'demo-directus-static-token',
  /** Preview credentials (server only): privileged tokens that also read drafts, a microCMS key with the draft permission. */
  kurocoPreview: 'demo-kuroco-preview-token',
  directusPreview: 'demo-directus-editor-token',
  microcmsPreview: 'demo-microcms-draft-key',
  /** A microCMS key allowed to write; only ever held by the server (proxy mode). */
  microcmsWrite: 'demo-microcms-write-key',
  /** Payload API keys of a `users` and an `admins` user (`<slug> API-Key <key>`). */
  payload: 'demo-payload-users-api-key',
  payloadAdmins: 'demo-payload-admins-api-key',
  /** A PocketBase impersonate token: long-lived, not refreshable. */
  pocketbase: 'demo-pocketbase-impersonate-token',
  /** Storyblok space tokens (Content Delivery API) and a personal access token (Management API). */
  storyblokPublic: 'demoStoryblokPublicTokentt',
  storyblokPreview: 'demoStoryblokPreviewTokentt',
  storyblokManagement: 'demo-storyblok-personal-access-token-sb',
  /** Contentful delivery token (CDA) and a personal access token (CMA). */
  contentful: 'demo-contentful-delivery-token-0123456789abcde',
  /** Contentful Content Preview API token (the preview host only). */
  contentfulPreview: 'demo-contentful-preview-token-0123456789abcd',
  contentfulManagement: 'CFPAT-demo-contentful-management-token',
  /** Ghost Content API key (26 hex) and Admin API key (<24 hex id>:<64 hex secret>). */
  ghostContent: '0123456789abcdef0123456789',
  ghostAdmin: '6748592f4b9b7700010f6564:b1b5b9c1d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1',
  /** A WordPress Application Password of user `editor`. */
  wordpress: 'editor:abcd EFGH 1234 ijkl MNOP 6789',
  /** Supabase publishable and secret API keys. */
  supabase: 'sb_publishable_demoSupabaseKey_0123',
  supabaseSecret: 'sb_secret_demoSupabaseSecret_4567',
}

export type MockTokens = typeof mockTokens
