import { serverHeldModes } from '../runtime/core/config-types'
import { randomBytes } from 'node:crypto'
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { addPlugin, addServerHandler, addServerPlugin } from '@nuxt/kit'
import type { Nuxt } from '@nuxt/schema'
import { sessionPasswordProblem } from '../runtime/core/session/session-data'
import { configError } from './errors'
import type { Register } from './options'

const ENV_NAME = 'NUXT_CMS_AUTH_SESSION_PASSWORD'

/**
 * Server-held sessions (`auth: 'dynamic'` or `'cookie'` with proxy): the session routes, the Nitro
 * plugin that checks the password and bridges SSR to the session, and the small browser plugin.
 * Nothing is registered when no API has one.
 */
export const registerSession: Register = ({ apis }, { nuxt, resolve, logger: log }) => {
  const held = apis.filter(api => serverHeldModes.includes(api.mode))
  if (!held.length)
    return
  // Token sessions are sealed; cookie-mode APIs seal the copy of the CMS cookies SSR reads.
  ensureSessionPassword(nuxt, log)
  const prefix = (held[0]!.proxy as { sessionRoute: string }).sessionRoute.replace(/\/[^/]+$/, '')
  addServerHandler({ route: `${prefix}/**`, handler: resolve('./runtime/server/session/session-routes') })
  addServerPlugin(resolve('./runtime/server/session/session-plugin'))
  // Its APIs' clients and logins go to the app's registry (runtime/app/registry.ts): no plugin order matters.
  addPlugin(resolve('./runtime/app/session/plugin'))
}

/**
 * Dev: a missing password is generated into `<rootDir>/.env` (git-ignored) so the app just runs.
 * A build checks a password set in nuxt.config; one given only at runtime is checked when the
 * server starts (the Nitro plugin refuses to start without a usable one).
 */
export function ensureSessionPassword(nuxt: Nuxt, log: { info: (message: string) => void }): void {
  const config = nuxt.options.runtimeConfig.cmsAuth as { sessionPassword?: string }
  const current = config.sessionPassword || process.env[ENV_NAME]
  if (current) {
    const problem = sessionPasswordProblem(current)
    if (problem)
      throw configError(`cmsAuth: ${problem}.`)
    return
  }
  if (!nuxt.options.dev || nuxt.options._prepare)
    return
  const password = randomBytes(32).toString('base64url')
  const file = join(nuxt.options.rootDir, '.env')
  const before = existsSync(file) ? readFileSync(file, 'utf8') : ''
  appendFileSync(file, `${before && !before.endsWith('\n') ? '\n' : ''}# Seals server-held CMS sessions (nuxt-cms-auth); generated for development.\n${ENV_NAME}=${password}\n`)
  process.env[ENV_NAME] = password
  config.sessionPassword = password
  log.info(`Generated ${ENV_NAME} into ${file} for development; set your own in production.`)
}
