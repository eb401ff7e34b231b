// autocannon ships no types; the bench only reads these result fields.
declare module 'autocannon' {
  interface Result { requests: { average: number, total: number }, latency: { p50: number, p99: number, average: number }, errors: number, non2xx: number }
  function autocannon(options: Record<string, unknown>): Promise<Result>
  export default autocannon
}
