import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, parse } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const appSource = join(repoRoot, 'test/fixtures/tarball')
// node_modules of the fresh apps, kept between runs (git-ignored), one per Nuxt major and tree.
const cacheRoot = join(repoRoot, '.ci/.tarball-apps')

// Without the npm_* variables of the `npm run` this test runs in, which name the repo's package.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')))

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', chunk => output += chunk)
    child.stderr.on('data', chunk => output += chunk)
    child.once('error', reject)
    child.once('exit', code => code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited with ${code} in ${cwd}:\n${output.slice(-4000)}`)))
  })
}

const timed = async <T>(label: string, step: () => Promise<T>): Promise<T> => {
  const start = Date.now()
  const result = await step()
  console.info(`[tarball] ${label}: ${((Date.now() - start) / 1000).toFixed(1)} s`)
  return result
}

/** `npm pack` of the repo, which runs prepack (the real build): what `npm publish` would upload. */
export async function packModule(): Promise<{ file: string, files: string[] }> {
  const destination = await mkdtemp(join(tmpdir(), 'nuxt-cms-auth-pack-'))
  await timed('npm pack (prepack builds dist)', () => run('npm', ['pack', '--pack-destination', destination], repoRoot))
  const file = join(destination, (await readdir(destination)).find(name => name.endsWith('.tgz'))!)
  const files = (await run('tar', ['-tzf', file], destination)).split('\n').filter(path => path && !path.endsWith('/'))
  return { file, files: files.map(path => path.replace(/^package\//, '')) }
}

export interface FreshApp {
  dir: string
  versions: Record<'nuxt' | 'vite' | 'nuxt-cms-auth', string>
  /** Puts node_modules back into the cache for the next run and removes the app. */
  dispose: () => Promise<void>
}

/**
 * A new app outside the repo, as a user makes one: test/fixtures/tarball, a package.json asking
 * for `nuxt@<range>` and the tarball, no lockfile. npm resolves the newest versions the registry
 * serves today; when a previous run installed exactly that tree, its node_modules is reused.
 */
export async function createFreshApp(tarball: string, nuxtRange: string, label: string): Promise<FreshApp> {
  const dir = await mkdtemp(join(tmpdir(), `nuxt-cms-auth-${label}-`))
  // Outside the repo means no node_modules above it that Node could fall back to.
  for (let parent = dirname(dir); parent !== parse(parent).root; parent = dirname(parent)) {
    if (existsSync(join(parent, 'node_modules')))
      throw new Error(`${parent}/node_modules would leak into the fresh app in ${dir}`)
  }
  await cp(appSource, dir, { recursive: true, filter: path => !/[/\\](?:node_modules|\.nuxt|\.output)(?:[/\\]|$)/.test(path) })
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({
    name: `fresh-${label}`,
    private: true,
    type: 'module',
    dependencies: { 'nuxt': nuxtRange, 'nuxt-cms-auth': `file:${tarball}` },
  }, null, 2)}\n`)

  const npmFlags = ['--no-audit', '--no-fund', '--loglevel=error']
  await timed(`${label}: resolve nuxt@${nuxtRange}`, () => run('npm', ['install', '--package-lock-only', ...npmFlags], dir))
  const cached = join(cacheRoot, `${label}-${await treeKey(dir)}`)
  if (existsSync(cached))
    await move(cached, join(dir, 'node_modules'))
  // Our package always comes from this run's tarball; npm puts it back.
  await rm(join(dir, 'node_modules/nuxt-cms-auth'), { recursive: true, force: true })
  await timed(`${label}: npm install (${existsSync(join(dir, 'node_modules')) ? 'cached tree' : 'cold'})`, () => run('npm', ['install', ...npmFlags], dir))

  const versionOf = async (file: string) => (JSON.parse(await readFile(file, 'utf8')) as { version: string }).version
  const versions = {
    'nuxt': await versionOf(join(dir, 'node_modules/nuxt/package.json')),
    // The Vite that Nuxt builds with (another one may be hoisted next to it).
    'vite': await versionOf(createRequire(join(dir, 'node_modules/@nuxt/vite-builder/package.json')).resolve('vite/package.json')),
    'nuxt-cms-auth': await versionOf(join(dir, 'node_modules/nuxt-cms-auth/package.json')),
  }
  console.info(`[tarball] ${label}: ${Object.entries(versions).map(([name, version]) => `${name} ${version}`).join(', ')}`)

  return {
    dir,
    versions,
    dispose: async () => {
      await mkdir(cacheRoot, { recursive: true })
      for (const stale of (await readdir(cacheRoot)).filter(entry => entry.startsWith(`${label}-`)))
        await rm(join(cacheRoot, stale), { recursive: true, force: true })
      await rm(join(dir, 'node_modules/.cache'), { recursive: true, force: true })
      await move(join(dir, 'node_modules'), cached)
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** The resolved tree (every package's version and integrity), minus our tarball, which changes every run. */
async function treeKey(dir: string): Promise<string> {
  const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string, integrity?: string }> }
  const tree = Object.entries(lock.packages)
    .filter(([path]) => path !== '' && path !== 'node_modules/nuxt-cms-auth')
    .map(([path, entry]) => `${path}@${entry.version}#${entry.integrity}`)
  return createHash('sha256').update(tree.join('\n')).digest('hex').slice(0, 16)
}

/** A rename, or a copy when the cache and the temporary directory are on different disks. */
async function move(from: string, to: string): Promise<void> {
  try {
    await rename(from, to)
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV')
      throw error
    await cp(from, to, { recursive: true, verbatimSymlinks: true })
    await rm(from, { recursive: true, force: true })
  }
}
