import { bearer, definePreset } from './define'

/** Any REST API: Bearer by default, every part configurable through `credential`. */
export const generic = definePreset({
  name: 'generic',
  credentialLabel: 'token',
  credential: bearer(),
  supports: ['none', 'static', 'dynamic', 'cookie'],
})
