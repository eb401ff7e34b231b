import { configError } from '../config-error'
import { definePreset } from './define'
import type { ServerCredential } from './define'

/** `Authorization: Basic` of `username:application password`, UTF-8 as WordPress decodes it. */
export async function basicCredential(secret: string): Promise<ServerCredential> {
  let binary = ''
  for (const byte of new TextEncoder().encode(secret))
    binary += String.fromCharCode(byte)
  return { value: btoa(binary), reuseUntil: Number.POSITIVE_INFINITY }
}

/**
 * WordPress REST API (`baseURL` is the site root, routes under `/wp-json/`). An Application
 * Password (`username:xxxx xxxx xxxx xxxx xxxx xxxx`, Users → Profile) is sent as HTTP Basic by the
 * server only: it is that user's password for the REST API, so `auth: 'static'` needs the proxy.
 */
export const wordpress = definePreset({
  name: 'wordpress',
  credentialLabel: 'Application Password',
  credential: { header: 'Authorization', prefix: 'Basic ' },
  supports: ['none', 'static'],
  responseHeaders: ['x-wp-total', 'x-wp-totalpages'],
  setup: ({ key, auth, token }) => {
    if (auth !== 'static')
      return {}
    if (token && !token.includes(':'))
      throw configError(`${key}.token must be "username:application password" (the user's login name, a colon, then the Application Password WordPress showed once).`)
    return { serverOnly: 'an Application Password is its user\'s password for the REST API', serverCredential: true }
  },
  serverCredential: basicCredential,
})
