import { execFile } from 'node:child_process'
import { access, mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const cacheDir = fileURLToPath(new URL('../../.ci/.runtimes', import.meta.url))

/** Runtimes the deployment-target tests run builds under, from the npm registry (pinned). */
const runtimes = {
  bun: { pkg: '@oven/bun-linux-x64', version: '1.4.5', bin: 'bin/bun' },
} as const

/**
 * The path of a runtime's binary, fetched once into the git-ignored `.ci/.runtimes`. The
 * package's tarball is unpacked directly: npm may leave an optional platform package's bin empty.
 */
export async function ensureRuntime(name: keyof typeof runtimes): Promise<string> {
  const { pkg, version, bin } = runtimes[name]
  const dir = join(cacheDir, `${name}-${version}`)
  const binary = join(dir, 'package', bin)
  if (await access(binary).then(() => true, () => false))
    return binary
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  const { stdout } = await run('npm', ['pack', `${pkg}@${version}`, '--silent'], { cwd: dir })
  await run('tar', ['xzf', stdout.trim().split('\n').pop()!], { cwd: dir })
  await access(binary)
  return binary
}
