import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { fixtureDir } from '../utils/fixtures'

const exec = promisify(execFile)
const resolveBin = createRequire(import.meta.url).resolve
// @nuxt/cli exports neither its bin nor its package.json.
const nuxi = fileURLToPath(new URL('../../node_modules/@nuxt/cli/bin/nuxi.mjs', import.meta.url))

describe('login mode types', () => {
  // dynamic: useCmsAuth, hooks, page meta; cookie-direct: the same for direct auth: 'cookie' APIs.
  it.each(['dynamic', 'cookie-direct'])('types useCmsAuth, its API names and the cms-auth hooks (%s)', async (fixture) => {
    const root = fixtureDir(fixture)
    await exec(process.execPath, [nuxi, 'prepare', root])
    const output = await exec(process.execPath, [resolveBin('typescript/bin/tsc'), '-p', join(root, 'tsconfig.typecheck.json')])
      .then(() => '', (error: { stdout: string }) => error.stdout || String(error))
    expect(output).toBe('')
  })
})
