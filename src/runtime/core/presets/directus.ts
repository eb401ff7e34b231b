import { bearer, definePreset } from './define'

/** Directus: `Authorization: Bearer <token>` for static user tokens and access tokens alike. */
export const directus = definePreset({
  name: 'directus',
  credentialLabel: 'static token',
  credential: bearer(),
  supports: ['none', 'static', 'dynamic', 'cookie'],
})
