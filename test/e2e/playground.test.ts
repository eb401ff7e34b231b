import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { setup } from '@nuxt/test-utils/e2e'
import { describePlayground } from '../utils/playground-suite'

// The playground is what `npm run playground` shows a new user: it must build and every demo
// must work against the mock CMS it serves itself. Built here as in production; the session
// password a dev run would generate into playground/.env comes from the environment instead.
await setup({
  rootDir: fileURLToPath(new URL('../../playground', import.meta.url)),
  server: true,
  browser: false,
  env: { NUXT_CMS_AUTH_SESSION_PASSWORD: randomBytes(32).toString('base64url') },
})

describePlayground('/')
