import type { ChildProcess } from 'node:child_process'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { fixtureDir } from './fixtures'
import { startListening, stopProcess } from './processes'
import { freePort } from './raw-http'
import { ensureRuntime } from './runtimes'

const run = promisify(execFile)
const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const harness = (file: string) => fileURLToPath(new URL(`../targets/${file}`, import.meta.url))

/** Nitro presets the deployment-target matrix builds the targets fixture for. */
export const targets = ['node-server', 'bun', 'deno-server', 'cloudflare-module', 'netlify', 'netlify-edge', 'vercel', 'vercel-edge'] as const
export type Target = typeof targets[number]

export interface RunningTarget {
  url: string
  stop: () => Promise<void>
}

/**
 * Builds for every target, `concurrency` at a time (a build is mostly one core's work), in the
 * order given; each promise settles with that target's output folder.
 */
export function buildTargets(presets: readonly Target[], env: Record<string, string>, concurrency = 2): Map<Target, Promise<string>> {
  const started = new Map<Target, Promise<string>>()
  const lanes: Promise<unknown>[] = Array.from({ length: concurrency }, () => Promise.resolve())
  presets.forEach((preset, index) => {
    const lane = index % concurrency
    const build = lanes[lane]!.then(() => buildTarget(preset, env))
    // A failed build fails its own target's tests; the next build in its lane still runs.
    lanes[lane] = build.catch(() => {})
    started.set(preset, build)
  })
  return started
}

/** Builds `test/fixtures/targets` for `preset` into its own folder; returns that folder. */
export async function buildTarget(preset: Target, env: Record<string, string> = {}): Promise<string> {
  const root = fixtureDir('targets')
  const outputDir = join(root, '.output', preset)
  await rm(outputDir, { recursive: true, force: true })
  await run(process.execPath, [join(repoRoot, 'node_modules/.bin/nuxi'), 'build', root, '--dotenv', '/dev/null'], {
    env: {
      ...process.env,
      ...env,
      NITRO_PRESET: preset,
      TARGETS_BUILD_DIR: join(root, '.nuxt', preset),
      TARGETS_OUTPUT_DIR: outputDir,
      ...(preset === 'netlify-edge' ? { TARGETS_SERVER_DIR: join(outputDir, 'server') } : {}),
    },
    maxBuffer: 64 << 20,
  })
  return outputDir
}

/**
 * Starts a build the way its host runs it: its own runtime (Bun, Deno, workerd through wrangler's
 * local mode), or, for function presets, a small server that hands the function its requests as
 * that platform does (test/targets/). `env` reaches the app as the host's environment variables.
 */
export async function startTarget(preset: Target, outputDir: string, env: Record<string, string>): Promise<RunningTarget> {
  const port = await freePort()
  const base = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', NITRO_PORT: String(port), NITRO_HOST: '127.0.0.1' }
  const serverEntry = join(outputDir, 'server/index.mjs')
  const functionEntry = join(outputDir, 'functions/__fallback.func/index.mjs')
  let child: ChildProcess
  let scratch: string | undefined
  switch (preset) {
    case 'node-server':
      child = await startListening(process.execPath, [serverEntry], port, { env: base })
      break
    case 'bun':
      child = await startListening(await ensureRuntime('bun'), [serverEntry], port, { env: base })
      break
    case 'deno-server':
      child = await startListening(await ensureRuntime('deno'), ['run', '--allow-all', '--unstable-byonm', '--unstable-node-globals', serverEntry], port, { env: { ...base, DENO_NO_UPDATE_CHECK: '1' }, cwd: outputDir })
      break
    case 'netlify':
      child = await startListening(process.execPath, [harness('serve-web-handler-node.mjs'), join(outputDir, 'server/main.mjs')], port, { env: base })
      break
    case 'netlify-edge':
      child = await startListening(await ensureRuntime('deno'), ['run', '--allow-all', harness('serve-web-handler-deno.mjs'), join(outputDir, 'server/server.js')], port, { env: { ...base, DENO_NO_UPDATE_CHECK: '1' } })
      break
    case 'vercel':
      child = await startListening(process.execPath, [harness('serve-node-listener.mjs'), functionEntry], port, { env: base })
      break
    case 'cloudflare-module':
    case 'vercel-edge': {
      // workerd in wrangler's local mode; the variables become the worker's env bindings.
      scratch = await mkdtemp(join(tmpdir(), 'cms-auth-workerd-'))
      let entry = serverEntry
      if (preset === 'vercel-edge') {
        // A Vercel edge function is a web handler; workerd needs a module worker around it.
        entry = join(outputDir, 'functions/__fallback.func/workerd-entry.mjs')
        await writeFile(entry, 'import handleEvent from \'./index.mjs\'\nexport default { fetch: (request, env, context) => handleEvent(request, context) }\n')
      }
      const vars = Object.entries(env).flatMap(([name, value]) => ['--var', `${name}:${value}`])
      child = await startListening(process.execPath, [await ensureRuntime('wrangler'), 'dev', entry, '--local', '--port', String(port), '--ip', '127.0.0.1', '--compatibility-date', '2026-11-01', '--compatibility-flags', 'nodejs_compat', '--persist-to', join(scratch, 'state'), '--show-interactive-dev-session=false', ...(preset === 'cloudflare-module' ? ['--assets', join(outputDir, 'public')] : []), ...vars], port, { env: { ...base, WRANGLER_SEND_METRICS: 'false', CI: 'true', XDG_CONFIG_HOME: scratch }, cwd: scratch })
      break
    }
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await stopProcess(child)
      if (scratch)
        await rm(scratch, { recursive: true, force: true })
    },
  }
}
