import { execFile } from 'node:child_process'
import { access, mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const cacheDir = fileURLToPath(new URL('../../.ci/.runtimes', import.meta.url))

/**
 * Runtimes the deployment-target tests run builds under, from the npm registry (pinned). A binary
 * package's tarball is unpacked directly (npm may leave an optional platform package's bin
 * empty); wrangler needs its dependencies (workerd, miniflare), so it is installed.
 */
const runtimes = {
  bun: { pkg: '@oven/bun-linux-x64', version: '1.4.5', bin: 'package/bin/bun', install: false },
  deno: { pkg: '@deno/linux-x64-glibc', version: '2.9.6', bin: 'package/deno', install: false },
  wrangler: { pkg: 'wrangler', version: '4.164.0', bin: 'node_modules/wrangler/bin/wrangler.js', install: true },
} as const

export type RuntimeName = keyof typeof runtimes

/** The path of a runtime's binary (wrangler: its CLI script, run with node), fetched once into the git-ignored `.ci/.runtimes`. */
export async function ensureRuntime(name: RuntimeName): Promise<string> {
  const { pkg, version, bin, install } = runtimes[name]
  const dir = join(cacheDir, `${name}-${version}`)
  const binary = join(dir, bin)
  if (await access(binary).then(() => true, () => false))
    return binary
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  if (install) {
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `cms-auth-${name}`, private: true }))
    await run('npm', ['install', '--no-audit', '--no-fund', '--silent', `${pkg}@${version}`], { cwd: dir, maxBuffer: 16 << 20 })
  }
  else {
    const { stdout } = await run('npm', ['pack', `${pkg}@${version}`, '--silent'], { cwd: dir })
    await run('tar', ['xzf', stdout.trim().split('\n').pop()!], { cwd: dir })
  }
  await access(binary)
  return binary
}
