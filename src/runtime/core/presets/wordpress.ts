import { classifyByStatus } from '../tokens/classify'
import { configError } from '../config-error'
import type { DynamicProtocol, ServerCredential } from './define'
import { definePreset } from './define'

/** `Authorization: Basic` of `username:application password`, UTF-8 as WordPress decodes it. */
export async function basicCredential(secret: string): Promise<ServerCredential> {
  let binary = ''
  for (const byte of new TextEncoder().encode(secret))
    binary += String.fromCharCode(byte)
  return { value: btoa(binary), reuseUntil: Number.POSITIVE_INFINITY }
}

/**
 * Cookie mode: `wp-login.php` sets the `wordpress_logged_in_*` cookies, and the REST API counts
 * them only beside a nonce (`X-WP-Nonce`), which a logged-in session gets from admin-ajax.php. A
 * nonce is valid for 12 to 24 hours: it is asked again after 12.
 */
export const wordpressProtocol: DynamicProtocol = {
  endpoints: { login: '/wp-login.php', user: '/wp-json/wp/v2/users/me' },
  loginBody: credentials => credentials,
  cookieLogin: ({ username, password, remember }) => new URLSearchParams({ log: String(username ?? ''), pwd: String(password ?? ''), ...(remember ? { rememberme: 'forever' } : {}) }),
  cookieToken: { endpoint: '/wp-admin/admin-ajax.php?action=rest-nonce', header: 'x-wp-nonce', name: 'wp_rest_nonce', maxAge: 43_200 },
  readTokens: () => undefined,
  // 401 `rest_not_logged_in`: the cookie no longer counts; a 403 is a capability the user lacks.
  classify: classifyByStatus([401]),
}

/**
 * WordPress REST API (`baseURL` is the site root, routes under `/wp-json/`). An Application
 * Password (`username:xxxx xxxx xxxx xxxx xxxx xxxx`, Users → Profile) is sent as HTTP Basic by the
 * server only: it is that user's password for the REST API, so `auth: 'static'` needs the proxy.
 * `auth: 'cookie'` (through the proxy): the login cookie plus the REST nonce the server asks for.
 */
export const wordpress = definePreset({
  name: 'wordpress',
  credentialLabel: 'Application Password',
  credential: { header: 'Authorization', prefix: 'Basic ' },
  supports: ['none', 'static', 'cookie'],
  responseHeaders: ['x-wp-total', 'x-wp-totalpages'],
  dynamic: wordpressProtocol,
  setup: ({ key, auth, token }) => {
    if (auth === 'cookie')
      return { proxyOnly: 'WordPress counts its login cookie only beside a REST nonce, which admin-ajax.php hands out without CORS, so only the server can ask for it' }
    if (auth !== 'static')
      return {}
    if (token && !token.includes(':'))
      throw configError(`${key}.token must be "username:application password" (the user's login name, a colon, then the Application Password WordPress showed once).`)
    return { serverOnly: 'an Application Password is its user\'s password for the REST API', serverCredential: true }
  },
  serverCredential: basicCredential,
})
