import { configError } from '../config-error'
import { hexBytes, signHs256Jwt } from '../tokens/hs256-jwt'
import { definePreset } from './define'
import type { ServerCredential } from './define'
import { oneOf, presetOptions } from './options'

// #region options
/** `cmsAuth.apis.<name>.ghost`. */
export interface GhostOptions {
  /**
   * `'content'`: the Content API (`/ghost/api/content`) with a Content API key as `?key=`.
   * `'admin'`: the Admin API (`/ghost/api/admin`) with an Admin API key (`<id>:<secret>`), signed
   * into a short-lived token on the server: proxy only. @default 'content'
   */
  api?: 'content' | 'admin'
}
// #endregion options

// `<24 hex id>:<64 hex secret>` as Ghost shows it; any even-length hex secret is accepted.
const ADMIN_KEY = /^([0-9a-f]+):([0-9a-f]+)$/i
/** Ghost refuses a token issued more than 5 minutes ago; one is signed again after half that. */
const LIFETIME_SECONDS = 300

/** The Admin API key as `Authorization: Ghost <token>`: an HS256 JWT, `kid` its id, `aud` `/admin/`, 5 minutes. */
export async function ghostAdminCredential(adminKey: string, now: number): Promise<ServerCredential> {
  const [, id, secret] = ADMIN_KEY.exec(adminKey) ?? []
  const key = secret && hexBytes(secret)
  if (!id || !key)
    throw new Error('the token is not a Ghost Admin API key (<id>:<secret>, as Ghost shows it under Integrations)')
  const iat = Math.floor(now / 1000)
  const value = await signHs256Jwt({ kid: id }, { iat, exp: iat + LIFETIME_SECONDS, aud: '/admin/' }, key)
  return { value, reuseUntil: now + LIFETIME_SECONDS * 500 }
}

/**
 * Ghost: the Content API key is read-only and public by design (`?key=`). The Admin API takes no
 * key at all: the key's secret signs a token per use, on the server (`ghost: { api: 'admin' }`
 * with `proxy: true`), so the secret never leaves it.
 */
export const ghost = definePreset({
  name: 'ghost',
  credentialLabel: 'API key',
  credential: { query: 'key' },
  supports: ['static'],
  setup: ({ options, key, token }) => {
    const api = oneOf(presetOptions(options, `${key}.ghost`, ['api']).api, `${key}.ghost.api`, ['content', 'admin'])
    if (api === 'admin') {
      if (token && !ADMIN_KEY.test(token))
        throw configError(`${key}.token is not a Ghost Admin API key: it has the form <id>:<secret> (Ghost Admin → Integrations).`)
      return { credential: { header: 'Authorization', prefix: 'Ghost ' }, serverOnly: 'an Admin API key can change the whole site, and its secret signs each request\'s token on the server', serverCredential: true }
    }
    // An Admin API key as `?key=` would put its secret in every URL a browser sends.
    if (ADMIN_KEY.test(token))
      throw configError(`${key}.token is a Ghost Admin API key (<id>:<secret>): set ghost: { api: 'admin' } and proxy: true, or use the Content API key.`)
    return {}
  },
  serverCredential: ghostAdminCredential,
})
