/** Credentials the mock accepts; the playground's defaults and `.env.example` use these. */
export const mockTokens = {
  kuroco: 'demo-kuroco-static-token',
  microcms: 'demo-microcms-read-key',
  directus: 'demo-directus-static-token',
}

export type MockTokens = typeof mockTokens
