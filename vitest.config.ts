import { configDefaults, defineConfig } from 'vitest/config'

// Unit tests (pure core, config) run in parallel; e2e files each build a fixture app (~6 s+),
// so files run one at a time and hooks get time to build. The packed-tarball check has its own
// config and step (npm run test:tarball): it needs the registry and a few minutes.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/tarball/**'],
    fileParallelism: false,
    hookTimeout: 240_000,
    testTimeout: 60_000,
  },
})
