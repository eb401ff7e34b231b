import { bearer, definePreset } from './define'

/**
 * NocoBase: `Authorization: Bearer <JWT or API key>`. The optional `X-Authenticator`
 * header (default `basic` on the server) goes in the API's `headers` option.
 */
export const nocobase = definePreset({
  name: 'nocobase',
  credentialLabel: 'API key',
  credential: bearer(),
  supports: ['none', 'static', 'dynamic', 'cookie'],
})
