import { describe, expect, it } from 'vitest'
import { createRefreshHandoff } from '../../src/runtime/core/refresh-handoff'
import type { TokenSet } from '../../src/runtime/core/tokens'

const tokens = (n: number): TokenSet => ({ accessToken: `access-${n}`, refreshToken: `refresh-${n}` })

describe('createRefreshHandoff', () => {
  it('runs one refresh for callers holding the same refresh token, and hands its result to the later ones', async () => {
    let clock = 0
    const handoff = createRefreshHandoff({ keepMs: 1000, now: () => clock })
    let runs = 0
    const refresh = async () => tokens(++runs)
    const [a, b] = await Promise.all([handoff('r1', refresh), handoff('r1', refresh)])
    expect(runs).toBe(1)
    expect(a).toBe(b)
    clock = 999
    expect(await handoff('r1', refresh)).toBe(a)
    expect(runs).toBe(1)
    clock = 1000
    expect(await handoff('r1', refresh)).toEqual(tokens(2))
  })

  it('never hands one refresh token\'s result to another', async () => {
    const handoff = createRefreshHandoff({ keepMs: 1000 })
    const [a, b] = await Promise.all([handoff('r1', async () => tokens(1)), handoff('r2', async () => tokens(2))])
    expect(a).toEqual(tokens(1))
    expect(b).toEqual(tokens(2))
  })

  it('keeps no failed refresh: the next caller tries for itself', async () => {
    const handoff = createRefreshHandoff({ keepMs: 1000 })
    await expect(handoff('r1', async () => {
      throw new Error('refused')
    })).rejects.toThrow('refused')
    expect(await handoff('r1', async () => tokens(3))).toEqual(tokens(3))
  })

  it('stays bounded: expired results go first, then the oldest', async () => {
    let clock = 0
    const handoff = createRefreshHandoff({ keepMs: 10, maxEntries: 2, now: () => clock })
    await handoff('r1', async () => tokens(1))
    clock = 5
    await handoff('r2', async () => tokens(2))
    clock = 12
    // r1 expired at 10: it makes room, and r2 is still handed over.
    await handoff('r3', async () => tokens(3))
    expect(await handoff('r2', async () => tokens(99))).toEqual(tokens(2))
    // Full of live results: the oldest (r2) goes.
    await handoff('r4', async () => tokens(4))
    expect(await handoff('r2', async () => tokens(5))).toEqual(tokens(5))
  })
})
