import { describe, expect, it } from 'vitest'
import { jwtExpiry, normalizeExpiry } from '../../../../src/runtime/core/tokens/expiry'

const now = Date.parse('2026-11-01T12:00:00Z')
const inAnHour = now + 3_600_000
const jwt = (payload: object) => `e30.${btoa(JSON.stringify(payload)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.sig`

describe('normalizeExpiry', () => {
  it('reads epoch seconds, epoch milliseconds and ISO-8601 strings as the same instant', () => {
    expect(normalizeExpiry(inAnHour / 1000, { now })).toBe(inAnHour)
    expect(normalizeExpiry(inAnHour, { now })).toBe(inAnHour)
    expect(normalizeExpiry(new Date(inAnHour).toISOString(), { now })).toBe(inAnHour)
    expect(normalizeExpiry(String(inAnHour / 1000), { now })).toBe(inAnHour)
  })

  it('reads small numbers as a lifetime in ms by default, or seconds when told', () => {
    expect(normalizeExpiry(900_000, { now })).toBe(now + 900_000)
    expect(normalizeExpiry(3600, { now, ttlUnit: 's' })).toBe(inAnHour)
  })

  it('reads a large lifetime as a lifetime when the CMS only ever sends lifetimes', () => {
    expect(normalizeExpiry(2_000_000_000, { now, relative: true })).toBe(now + 2_000_000_000)
    expect(normalizeExpiry(2_000_000_000, { now })).toBe(2_000_000_000_000)
  })

  it('moves an absolute expiry onto this machine\'s clock using the response Date header', () => {
    // The CMS clock runs 5 minutes ahead: its "in an hour" is our "in 55 minutes".
    const serverDate = new Date(now + 300_000).toUTCString()
    expect(normalizeExpiry((inAnHour + 300_000) / 1000, { now, serverDate })).toBe(inAnHour)
    // Lifetimes do not depend on either clock.
    expect(normalizeExpiry(60_000, { now, serverDate })).toBe(now + 60_000)
  })

  it('ignores a skew within the Date header\'s one-second resolution', () => {
    const serverDate = new Date(now + 900).toUTCString()
    expect(normalizeExpiry(inAnHour, { now, serverDate })).toBe(inAnHour)
  })

  it('returns undefined for what is not an expiry', () => {
    for (const value of [undefined, null, '', 'soon', -5, Number.NaN, {}])
      expect(normalizeExpiry(value, { now })).toBeUndefined()
  })
})

describe('jwtExpiry', () => {
  it('reads the exp claim of a base64url JWT, corrected for skew', () => {
    expect(jwtExpiry(jwt({ exp: inAnHour / 1000, name: '~~~??>' }), { now })).toBe(inAnHour)
    const serverDate = new Date(now - 60_000).toUTCString()
    expect(jwtExpiry(jwt({ exp: inAnHour / 1000 }), { now, serverDate })).toBe(inAnHour + 60_000)
  })

  it('returns undefined for opaque tokens and JWTs without exp', () => {
    expect(jwtExpiry('opaque-token', { now })).toBeUndefined()
    expect(jwtExpiry(jwt({ sub: 1 }), { now })).toBeUndefined()
    expect(jwtExpiry('a.!!!.c', { now })).toBeUndefined()
    expect(jwtExpiry(undefined)).toBeUndefined()
  })
})
