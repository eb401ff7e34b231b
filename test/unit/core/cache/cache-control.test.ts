import { describe, expect, it } from 'vitest'
import { deltaSeconds, parseCacheControl } from '../../../../src/runtime/core/cache/cache-control'

describe('Cache-Control parsing', () => {
  it('reads bare and valued directives, lower-cased, quotes removed, the first of a repeated one', () => {
    const directives = parseCacheControl('Public, MAX-AGE=60, s-maxage="120", max-age=1, private="set-cookie"')
    expect([...directives]).toEqual([['public', true], ['max-age', '60'], ['s-maxage', '120'], ['private', 'set-cookie']])
  })

  it.each([
    ['max-age=60', 60],
    ['max-age=0', 0],
    ['max-age=-1', undefined],
    ['max-age=1.5', undefined],
    ['max-age', undefined],
    ['', undefined],
  ])('%j → %s seconds', (header, seconds) => {
    expect(deltaSeconds(parseCacheControl(header), 'max-age')).toBe(seconds)
  })
})
