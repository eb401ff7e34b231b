/**
 * One run of `task` at a time: callers arriving while it runs get the same promise (and so the
 * same result or error), and their arguments are ignored; the first call after it settles starts
 * a new run. This is what keeps a rotating refresh token from being spent twice.
 */
export function createSingleFlight<A extends unknown[], T>(task: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let inFlight: Promise<T> | undefined
  return (...args) => inFlight ||= (async () => {
    try {
      return await task(...args)
    }
    finally {
      inFlight = undefined
    }
  })()
}
