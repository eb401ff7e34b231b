import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// npm run test:tarball (the last step of test:all): packs the module and installs it into fresh
// Nuxt 4 and Nuxt 3 apps outside the repo. Needs the npm registry; installs take the hooks' time.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/tarball/*.test.ts'],
    hookTimeout: 600_000,
    testTimeout: 60_000,
  },
})
