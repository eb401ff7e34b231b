/** What reached the mock CMS, so tests assert on the CMS's view rather than the app's. */
export interface RecordedRequest {
  vendor: string
  method: string
  path: string
  /** The request target exactly as it arrived on the wire (h3 decodes `path` once). */
  rawTarget: string
  headers: Record<string, string>
}

export interface MockCmsState {
  requests: RecordedRequest[]
  counters: Record<string, number>
}

export function createMockState(): MockCmsState {
  return { requests: [], counters: {} }
}

export function count(state: MockCmsState, counter: string): void {
  state.counters[counter] = (state.counters[counter] ?? 0) + 1
}
