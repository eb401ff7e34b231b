import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { createTransformer } from 'unctx/transform'
import { describe, expect, it } from 'vitest'

// Nuxt runs unctx's async-context transform over every plugin and route middleware
// (optimization.asyncTransforms, Nuxt's defaults below). An `await` in one makes it add
// `import { executeAsync } from "<absolute path of unctx>"` to the file. In a user's app our
// runtime sits in node_modules and is bundled into the server, where Vite 8.4 (rolldown 1.3)
// refuses that import next to Nuxt's own `import 'unctx'`, which is external: the app's
// `nuxi build` fails with EXTERNAL_MODULES_CANNOT_BE_TRANSFORMED_TO_MODULES / INVALID_EXTERNAL_ID.
const asyncTransforms = {
  asyncFunctions: ['defineNuxtPlugin', 'defineNuxtRouteMiddleware'],
  objectDefinitions: { defineNuxtComponent: ['asyncData', 'setup'], defineNuxtPlugin: ['setup'], definePageMeta: ['middleware', 'validate'] },
}
const runtimeDir = fileURLToPath(new URL('../../../src/runtime', import.meta.url))

async function runtimeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter(entry => entry.isFile() && entry.name.endsWith('.ts')).map(entry => join(entry.parentPath, entry.name))
}

/** What Nuxt's transform does to a runtime file, as JavaScript (the module ships compiled files). */
async function transformed(source: string): Promise<string | undefined> {
  const { transform } = await createTransformer(asyncTransforms)
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ESNext } }).outputText
  return transform(js)?.code
}

describe('plugin and middleware setups of the runtime', () => {
  it('give Nuxt\'s async-context transform nothing to rewrite, so no file imports unctx by path', async () => {
    const sources = await Promise.all((await runtimeFiles(runtimeDir)).map(async file => [file, await readFile(file, 'utf8')] as const))
    // The dynamic, cookie and session plugins, the cms-auth middleware, the DevTools reporter.
    expect(sources.filter(([, source]) => /defineNuxt(?:Plugin|RouteMiddleware)\(/.test(source)).length).toBeGreaterThanOrEqual(5)
    for (const [file, source] of sources)
      expect(await transformed(source), `${file}: return the promise instead of awaiting it (after it, call Nuxt composables through nuxtApp.runWithContext)`).toBeUndefined()
  // Every runtime file through the transform: about a second alone, several on a loaded machine.
  }, 30_000)

  it('are what the check looks at: an awaiting plugin setup is rewritten to import unctx', async () => {
    const code = await transformed('export default defineNuxtPlugin({ async setup() { await Promise.resolve() } })')
    expect(code).toContain('__executeAsync')
  })
})
