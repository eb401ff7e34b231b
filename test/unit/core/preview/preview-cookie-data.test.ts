import { describe, expect, it } from 'vitest'
import { activePreviewEntries, cookieMaxAge, withPreviewEntry } from '../../../../src/runtime/core/preview/preview-cookie-data'

const now = 1_000_000

describe('preview cookie data', () => {
  it('adds an API for maxAge seconds and keeps the others still valid', () => {
    const first = withPreviewEntry(undefined, 'stories', 60, now)
    const both = withPreviewEntry(first, 'blog', 3600, now + 1000, { draftKey: 'k' })
    expect(both).toEqual({ apis: { stories: { until: now + 60_000 }, blog: { until: now + 1000 + 3_600_000, carried: { draftKey: 'k' } } } })
    expect(cookieMaxAge(both, now + 1000)).toBe(3600)
  })

  it('drops expired entries and anything that is not an entry', () => {
    expect(activePreviewEntries({ apis: { a: { until: now }, b: { until: now + 1 }, c: 'x', d: { until: '9' } } }, now)).toEqual({ b: { until: now + 1 } })
    expect(activePreviewEntries('junk', now)).toEqual({})
    expect(activePreviewEntries({ apis: null }, now)).toEqual({})
    expect(activePreviewEntries({ apis: { a: { until: now + 1, carried: { k: 1 } } } }, now)).toEqual({ a: { until: now + 1 } })
  })
})
