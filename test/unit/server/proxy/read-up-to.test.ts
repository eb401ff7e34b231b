import { describe, expect, it } from 'vitest'
import { holdLimit, readUpTo } from '../../../../src/runtime/server/proxy/upstream'

/** A body that arrives in these chunks, and how many of them were pulled from it. */
function body(...chunks: string[]) {
  const encoder = new TextEncoder()
  const state = { pulled: 0, cancelled: false }
  const stream = new ReadableStream<Uint8Array>({
    pull(out) {
      const next = chunks[state.pulled++]
      if (next === undefined)
        return out.close()
      out.enqueue(encoder.encode(next))
    },
    cancel() {
      state.cancelled = true
    },
  }, { highWaterMark: 0 })
  return { stream, state }
}

const text = async (read: Uint8Array | ReadableStream<Uint8Array>) => read instanceof Uint8Array ? new TextDecoder().decode(read) : new Response(read).text()

describe('readUpTo: a body held up to a limit (a chunked CMS answer for the cache)', () => {
  it('gives the whole body as bytes when it ends within the limit, exactly at it included', async () => {
    const { stream } = body('abc', 'def', 'gh')
    const read = await readUpTo(stream, 8)
    expect(read).toBeInstanceOf(Uint8Array)
    expect(await text(read)).toBe('abcdefgh')
  })

  it('past the limit, stops reading and gives a stream of the chunks read, then the rest, every byte in order', async () => {
    const { stream, state } = body('abc', 'def', 'ghi', 'jkl')
    const read = await readUpTo(stream, 5)
    expect(read).toBeInstanceOf(ReadableStream)
    // Held: only what it took to pass the limit (two chunks), not the whole body.
    expect(state.pulled).toBe(2)
    expect(await text(read)).toBe('abcdefghijkl')
  })

  it('passes a cancel of that stream on to the body (the client went away)', async () => {
    const { stream, state } = body('abc', 'def', 'ghi')
    const read = await readUpTo(stream, 2) as ReadableStream<Uint8Array>
    await read.cancel()
    expect(state.cancelled).toBe(true)
  })

  it('gives an empty body as empty bytes', async () => {
    expect(await text(await readUpTo(body().stream, 0))).toBe('')
  })

  it('holds a whole body for `true`, up to the number given otherwise', () => {
    expect(holdLimit(true)).toBe(Number.POSITIVE_INFINITY)
    expect(holdLimit(4096)).toBe(4096)
  })
})
