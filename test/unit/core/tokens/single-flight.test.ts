import { describe, expect, it } from 'vitest'
import { createSingleFlight } from '../../../../src/runtime/core/tokens/single-flight'

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('createSingleFlight', () => {
  it('runs the task once for callers that arrive while it runs, and gives them all its result', async () => {
    const gate = deferred<string>()
    const seen: string[] = []
    const refresh = createSingleFlight(async (stale: string) => {
      seen.push(stale)
      return gate.promise
    })
    const callers = Array.from({ length: 20 }, (_, i) => refresh(`token-${i}`))
    gate.resolve('new-token')
    expect(await Promise.all(callers)).toEqual(Array.from({ length: 20 }, () => 'new-token'))
    expect(seen).toEqual(['token-0'])
  })

  it('shares a failure with every waiter, then lets the next call try again', async () => {
    let runs = 0
    const refresh = createSingleFlight(async () => {
      runs++
      if (runs === 1)
        throw new Error('CMS down')
      return 'ok'
    })
    const results = await Promise.allSettled([refresh(), refresh(), refresh()])
    expect(results.map(r => r.status)).toEqual(['rejected', 'rejected', 'rejected'])
    expect(await refresh()).toBe('ok')
    expect(runs).toBe(2)
  })

  it('starts a new run after the previous one settled', async () => {
    let runs = 0
    const task = createSingleFlight(async () => ++runs)
    expect(await task()).toBe(1)
    expect(await task()).toBe(2)
  })

  it('turns a synchronous throw into a rejection instead of leaving the flight stuck', async () => {
    const task = createSingleFlight((): Promise<never> => {
      throw new Error('sync')
    })
    await expect(task()).rejects.toThrow('sync')
    await expect(task()).rejects.toThrow('sync')
  })
})
