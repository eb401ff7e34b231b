/** Credentials the mock accepts; the playground's defaults and `.env.example` use these. */
export const mockTokens = {
  kuroco: 'demo-kuroco-static-token',
  microcms: 'demo-microcms-read-key',
  directus: 'demo-directus-static-token',
  /** A microCMS key allowed to write; only ever held by the server (proxy mode). */
  microcmsWrite: 'demo-microcms-write-key',
}

export type MockTokens = typeof mockTokens
