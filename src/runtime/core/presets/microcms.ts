import { definePreset } from './define'

/** microCMS: one API key in `X-MICROCMS-API-KEY`; there is no login. */
export const microcms = definePreset({
  name: 'microcms',
  credentialLabel: 'API key',
  credential: { header: 'X-MICROCMS-API-KEY' },
  supports: ['static'],
  // The preview key (one with the draft permission) in the same header, and the `draftKey` of
  // microCMS's preview link repeated on every request of the preview.
  preview: { linkParams: { draftKey: 'draftKey' } },
})
