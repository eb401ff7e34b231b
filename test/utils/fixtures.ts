import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Absolute path of `test/fixtures/<name>`, for `setup({ rootDir })`. The Nuxt 3 run
 * (test/nuxt3/vitest.config.ts) sets CMS_AUTH_FIXTURES to copies that resolve Nuxt 3.
 */
export function fixtureDir(name: string): string {
  const copies = process.env.CMS_AUTH_FIXTURES
  return copies ? join(copies, name) : fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))
}
