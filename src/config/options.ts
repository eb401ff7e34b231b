import type { Nuxt } from '@nuxt/schema'
import type { ModuleOptions } from '../runtime/types'
import { misspelledKeyWarnings } from './config-key'
import { configError } from './errors'
import { resolveApis } from './resolve-apis'
import type { ResolvedApi } from './resolve-apis'
import { resolveProxyPrefix } from './resolve-proxy'
import { DEFAULT_STORAGE_TIMEOUT } from '../runtime/core/session/session-data'

/** `cmsAuth` after validation: what every `register*` reads. */
export interface ResolvedOptions {
  apis: ResolvedApi[]
  /** `cmsAuth.proxyPrefix`. @default '/api/_cms' */
  proxyPrefix: string
  /** The Nitro storage mount for state shared between instances. @default 'cms-auth' */
  storage: string
  /** Milliseconds a storage call may take. @default 2000 */
  storageTimeout: number
}

/** What every `register*` gets beside the options: the Nuxt instance, the runtime resolver, the logger. */
export interface ModuleContext {
  nuxt: Nuxt
  resolve: (path: string) => string
  logger: { warn: (message: string) => void, info: (message: string) => void }
}

/** One signature for every feature: each registers itself only when an API needs it. */
export type Register = (options: ResolvedOptions, context: ModuleContext) => void

/**
 * Validates the whole `cmsAuth` block once: every mistake is an error naming its key and the fix,
 * and a top-level key that is `cmsAuth` written another way (`cmsauth:`) is a warning.
 */
export function resolveOptions(options: ModuleOptions, { nuxt, logger }: ModuleContext): ResolvedOptions {
  for (const warning of misspelledKeyWarnings(nuxt.options))
    logger.warn(warning)
  const proxyPrefix = resolveProxyPrefix(options.proxyPrefix)
  const storage = options.storage ?? 'cms-auth'
  if (typeof storage !== 'string' || !/^\w[\w:-]*$/.test(storage))
    throw configError(`cmsAuth.storage must be the name of a Nitro storage mount, like 'cms-auth'; got ${JSON.stringify(storage)}.`)
  const storageTimeout = options.storageTimeout ?? DEFAULT_STORAGE_TIMEOUT
  if (!Number.isInteger(storageTimeout) || storageTimeout <= 0)
    throw configError(`cmsAuth.storageTimeout must be a positive whole number of milliseconds; got ${JSON.stringify(storageTimeout)}.`)
  const apis = resolveApis(options.apis, {
    production: !nuxt.options.dev && !nuxt.options._prepare,
    warn: message => logger.warn(message),
    proxyPrefix,
  })
  return { apis, proxyPrefix, storage, storageTimeout }
}
