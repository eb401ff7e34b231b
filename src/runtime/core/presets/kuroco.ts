import { definePreset } from './define'

/** Kuroco: `X-RCMS-API-ACCESS-TOKEN: <token>` (no Bearer prefix) for static and dynamic tokens. */
export const kuroco = definePreset({
  name: 'kuroco',
  credentialLabel: 'access token',
  credential: { header: 'X-RCMS-API-ACCESS-TOKEN' },
  supports: ['none', 'static', 'dynamic', 'cookie'],
})
