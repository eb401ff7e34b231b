import { describe, expect, it } from 'vitest'
import { presetNames, presets } from '../../src/runtime/core/presets'

// The placements come from each vendor's documentation (../shared/protocols.md).
const expected = {
  kuroco: { header: 'X-RCMS-API-ACCESS-TOKEN' },
  microcms: { header: 'X-MICROCMS-API-KEY' },
  nocobase: { header: 'Authorization', prefix: 'Bearer ' },
  cockpit: { header: 'api-key' },
  directus: { header: 'Authorization', prefix: 'Bearer ' },
  strapi: { header: 'Authorization', prefix: 'Bearer ' },
  generic: { header: 'Authorization', prefix: 'Bearer ' },
}

describe('presets', () => {
  it('has one preset file per documented CMS, and nothing else', () => {
    expect(Object.keys(presets).sort()).toEqual([...presetNames].sort())
    expect(Object.keys(expected).sort()).toEqual([...presetNames].sort())
  })

  it.each(Object.entries(expected))('%s places its credential as the vendor documents', (name, placement) => {
    const preset = presets[name as keyof typeof presets]
    expect(preset.name).toBe(name)
    expect(preset.credential).toEqual(placement)
  })

  it('sends the Kuroco token without a Bearer prefix', () => {
    expect(presets.kuroco.credential.prefix ?? '').toBe('')
  })

  it('offers static keys but no login for microCMS', () => {
    expect(presets.microcms.supports).toEqual(['static'])
  })
})
