import { cp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Vitest global setup of the Nuxt 3 run: fresh copies of the fixtures, whose module path is made
// absolute, in test/nuxt3/fixtures/ (git-ignored). Refuses to run when the copies would not
// resolve Nuxt 3, so a broken workspace cannot pass as a Nuxt 4 run.
const fixtures = ['static', 'dynamic', 'proxy', 'session', 'cookie-direct', 'preview']
// Layers the fixtures extend by relative path: copied alongside, they load no module themselves.
const layers = ['member-pages']
const source = fileURLToPath(new URL('../fixtures', import.meta.url))
const target = fileURLToPath(new URL('./fixtures', import.meta.url))
const moduleEntry = fileURLToPath(new URL('../../src/module', import.meta.url))
const moduleReference = `'../../../src/module'`
const skipped = /[/\\](?:node_modules|\.nuxt|\.output|\.data)(?:[/\\]|$)/

export default async function copyFixtures(): Promise<void> {
  await rm(target, { recursive: true, force: true })
  for (const name of fixtures) {
    await cp(join(source, name), join(target, name), { recursive: true, filter: path => !skipped.test(path) })
    const configFile = join(target, name, 'nuxt.config.ts')
    const config = await readFile(configFile, 'utf8')
    if (!config.includes(moduleReference))
      throw new Error(`${configFile} no longer loads the module as ${moduleReference}; update test/nuxt3/copy-fixtures.ts`)
    await writeFile(configFile, config.replace(moduleReference, JSON.stringify(moduleEntry)))
  }
  for (const name of layers)
    await cp(join(source, name), join(target, name), { recursive: true, filter: path => !skipped.test(path) })
  const nuxtPackage = createRequire(join(target, fixtures[0]!, 'nuxt.config.ts')).resolve('nuxt/package.json')
  const { version } = JSON.parse(await readFile(nuxtPackage, 'utf8')) as { version: string }
  if (!version.startsWith('3.'))
    throw new Error(`The Nuxt 3 run resolves nuxt ${version} from ${nuxtPackage}: run npm install --prefix test/nuxt3`)
  console.info(`[nuxt3] fixtures ${fixtures.join(', ')} build with nuxt ${version}`)
}
