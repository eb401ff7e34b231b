import { describe, expect, it } from 'vitest'
import { ageOf, entryTimes, freshnessOf } from '../../../../src/runtime/core/cache/freshness'

const stored = 1_000_000
const times = entryTimes(stored, 60, 30, 5)

describe('freshness', () => {
  it.each([
    [0, 'fresh'],
    [59_999, 'fresh'],
    [60_000, 'stale'],
    [89_999, 'stale'],
    [90_000, 'expired'],
  ])('%i ms after storing: %s', (elapsed, expected) => {
    expect(freshnessOf(times, stored + elapsed)).toBe(expected)
  })

  it('is never stale without staleWhileRevalidate', () => {
    expect(freshnessOf(entryTimes(stored, 60, 0, 0), stored + 60_000)).toBe('expired')
  })

  it('counts Age from what the CMS gave, in whole seconds', () => {
    expect(ageOf(times, stored)).toBe(5)
    expect(ageOf(times, stored + 12_999)).toBe(17)
  })
})
