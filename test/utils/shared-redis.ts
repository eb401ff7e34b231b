import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { startListening, stopProcess } from './processes'
import { freePort } from './raw-http'

/**
 * A redis-server on a free port (nothing persisted) and two instances of a built fixture that
 * mount it through `CMS_AUTH_REDIS_URL` (their server/plugins/redis-storage.ts); `run` gets the
 * instances' ports, and everything stops afterwards, whatever `run` did.
 */
export async function withTwoInstancesOnRedis(outputDir: string, env: Record<string, string | undefined>, run: (ports: [number, number]) => Promise<void>): Promise<void> {
  const [redisPort, portA, portB] = [await freePort(), await freePort(), await freePort()]
  const children: ChildProcess[] = []
  try {
    children.push(await startListening('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], redisPort))
    const instanceEnv = { ...process.env, ...env, CMS_AUTH_REDIS_URL: `redis://127.0.0.1:${redisPort}`, NODE_ENV: 'production' }
    for (const port of [portA, portB])
      children.push(await startListening('node', [join(outputDir, 'server/index.mjs')], port, { env: { ...instanceEnv, PORT: String(port), HOST: '127.0.0.1' } }))
    await run([portA, portB])
  }
  finally {
    for (const child of children.reverse())
      await stopProcess(child)
  }
}
