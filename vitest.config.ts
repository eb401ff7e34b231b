import { fileURLToPath } from 'node:url'
import { defineVitestProject } from '@nuxt/test-utils/config'
import { configDefaults, defineConfig } from 'vitest/config'

// The Nuxt-environment tests: the app-side login code, which needs a Nuxt app instance.
const nuxtTests = 'test/unit/app/login/**/*.test.ts'

// Three projects, all run by `vitest run` (`--project <name>` runs one):
// - unit: pure core and config, no Nuxt, in parallel;
// - nuxt: the app side in a Nuxt app (test/fixtures/unit-nuxt, browser side, happy-dom), in parallel;
// - e2e: each file builds a fixture app (~6 s+), so files run one at a time and hooks get time to build.
// The packed-tarball check has its own config and step (npm run test:tarball): it needs the
// registry and a few minutes.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: [...configDefaults.exclude, nuxtTests],
        },
      },
      await defineVitestProject({
        test: {
          name: 'nuxt',
          include: [nuxtTests],
          environmentOptions: { nuxt: { rootDir: fileURLToPath(new URL('./test/fixtures/unit-nuxt', import.meta.url)) } },
        },
      }),
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/unit/**', 'test/tarball/**'],
          fileParallelism: false,
          // After the parallel projects, so a build never shares the machine with them.
          sequence: { groupOrder: 1 },
          hookTimeout: 240_000,
          testTimeout: 60_000,
        },
      },
    ],
  },
})
