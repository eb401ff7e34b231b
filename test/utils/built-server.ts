import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { useTestContext } from '@nuxt/test-utils/e2e'
import { startListening } from './processes'
import { freePort } from './raw-http'

// This machine's NUXT_* variables are left out: a server sees only what a test gives it.
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NUXT_')))

/**
 * Starts another server from the fixture `setup()` built, with `variables` as its whole Nuxt
 * environment; resolves once it listens (rejects with its stderr if it exits first).
 */
export async function startBuiltServer(variables: Record<string, string>): Promise<{ base: string, child: ChildProcess }> {
  const port = await freePort()
  const entry = join(useTestContext().nuxt!.options.nitro.output!.dir!, 'server/index.mjs')
  const child = await startListening(process.execPath, [entry], port, { env: { ...baseEnv, ...variables, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' } })
  return { base: `http://127.0.0.1:${port}`, child }
}
