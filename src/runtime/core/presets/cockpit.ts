import { definePreset } from './define'

/**
 * Cockpit v2: header `api-key`. Cockpit classic wants `Cockpit-Token` instead:
 * set `credential: { header: 'Cockpit-Token' }` on the API.
 */
export const cockpit = definePreset({
  name: 'cockpit',
  credentialLabel: 'API key',
  credential: { header: 'api-key' },
  supports: ['none', 'static', 'dynamic'],
})
