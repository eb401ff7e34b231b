import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// The e2e suites that build fixture apps, run again with Nuxt 3 (npm run test:nuxt3). The fixtures
// are copied into test/nuxt3/fixtures/, next to this workspace's node_modules, so @nuxt/test-utils
// loads Nuxt 3 for them; the module itself is still ../../../src/module from each copy.
// runtime-env.test.ts passes here too (about 45 s more) but is left out to keep CI short: the env
// overrides it checks are Nitro's applyEnv, the same under both Nuxt versions; preview.test.ts
// is in, for the Nuxt app APIs preview mode uses (usePreviewMode, the banner, the plugin).
const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

export default defineConfig({
  test: {
    root: repoRoot,
    include: ['test/e2e/{static,dynamic,proxy,session,cookie-direct,preview,devtools,devtools-build,devtools-browser}.test.ts'],
    globalSetup: ['test/nuxt3/copy-fixtures.ts'],
    env: { CMS_AUTH_FIXTURES: fileURLToPath(new URL('./fixtures', import.meta.url)) },
    fileParallelism: false,
    hookTimeout: 240_000,
    testTimeout: 60_000,
  },
})
