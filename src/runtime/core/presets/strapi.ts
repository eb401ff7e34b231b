import { bearer, definePreset } from './define'

/** Strapi 5: `Authorization: Bearer <API token or JWT>`. */
export const strapi = definePreset({
  name: 'strapi',
  credentialLabel: 'API token',
  credential: bearer(),
  supports: ['none', 'static', 'dynamic'],
})
