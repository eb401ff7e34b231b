import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { buildNuxt, loadNuxt, writeTypes } from '@nuxt/kit'
import { describe, expect, it } from 'vitest'
import { fixtureDir } from '../utils/fixtures'

const run = promisify(execFile)
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

// What `nuxi prepare` does: load the app (our module generates types/cms-auth.d.ts) and write .nuxt types.
async function prepare(root: string) {
  const nuxt = await loadNuxt({ cwd: root, overrides: { _prepare: true } })
  try {
    await buildNuxt(nuxt)
    await writeTypes(nuxt)
  }
  finally {
    await nuxt.close()
  }
}

describe('generated types', () => {
  it('type API names: the configured names compile and a typo does not', async () => {
    const root = fixtureDir('static')
    await prepare(root)
    // typecheck/api-names.ts holds @ts-expect-error lines for the typo: they fail if names are untyped.
    const result = await run(process.execPath, [tsc, '-p', join(root, 'tsconfig.typecheck.json')]).then(
      () => ({ code: 0, output: '' }),
      (error: { code: number, stdout: string }) => ({ code: error.code, output: error.stdout }),
    )
    expect(result.output).toBe('')
    expect(result.code).toBe(0)
  })
})
