import { describe, expect, it } from 'vitest'
import { createRefreshHandoff } from '../../../../src/runtime/core/tokens/refresh-handoff'
import type { TokenSet } from '../../../../src/runtime/core/tokens/tokens'

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

describe('createRefreshHandoff: a late caller and expired tokens', () => {
  it('follows the rotation instead of handing over tokens that expired since (a cookie replayed late)', async () => {
    let clock = 0
    const handoff = createRefreshHandoff({ keepMs: 30_000, now: () => clock })
    const spent: string[] = []
    const refresh = async (token: string) => {
      spent.push(token)
      return { accessToken: `access-after-${token}`, refreshToken: `${token}+`, expiresAt: clock + 10_000 }
    }
    const first = await handoff('r1', refresh)
    clock = 5_000
    // Still valid: handed over, nothing spent.
    expect(await handoff('r1', refresh)).toBe(first)
    clock = 12_000
    // Kept (30 s) but expired at 10 s: the late caller refreshes with the handed set's refresh token.
    const late = await handoff('r1', refresh)
    expect(spent).toEqual(['r1', 'r1+'])
    expect(late).toMatchObject({ accessToken: 'access-after-r1+', expiresAt: 22_000 })
    // A second late caller with the old cookie joins that refresh rather than spending r1+ again.
    expect(await handoff('r1', refresh)).toBe(late)
    expect(spent).toEqual(['r1', 'r1+'])
  })
})
