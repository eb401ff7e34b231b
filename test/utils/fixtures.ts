import { fileURLToPath } from 'node:url'

/** Absolute path of `test/fixtures/<name>`, for `setup({ rootDir })`. */
export function fixtureDir(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))
}
