import { defineConfig } from 'vitest/config'

// Unit tests (pure core, config) run in parallel; e2e files each build a fixture app (~6 s+),
// so files run one at a time and hooks get time to build.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    hookTimeout: 240_000,
    testTimeout: 60_000,
  },
})
