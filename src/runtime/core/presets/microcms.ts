import { definePreset } from './define'

/** microCMS: one API key in `X-MICROCMS-API-KEY`; there is no login. */
export const microcms = definePreset({
  name: 'microcms',
  credentialLabel: 'API key',
  credential: { header: 'X-MICROCMS-API-KEY' },
  supports: ['static'],
})
