import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { setup } from '@nuxt/test-utils/e2e'
import { describePlayground } from '../utils/playground-suite'

// The same playground served under app.baseURL '/shop/': the proxy and session routes, the
// APIs on paths of the app (`/mock-cms/…`) and the cookie paths all live below the base.
await setup({
  rootDir: fileURLToPath(new URL('../../playground', import.meta.url)),
  server: true,
  browser: false,
  nuxtConfig: { app: { baseURL: '/shop/' } },
  env: { NUXT_CMS_AUTH_SESSION_PASSWORD: randomBytes(32).toString('base64url') },
})

describePlayground('/shop/')
