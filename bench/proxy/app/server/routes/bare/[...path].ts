import { defineEventHandler, proxyRequest } from 'h3'

// The baseline: what a hand-written proxy with h3's proxyRequest looks like, key included.
export default defineEventHandler((event) => {
  const { search } = new URL(event.path, 'http://localhost')
  return proxyRequest(event, `${process.env.BENCH_CMS_URL}/${event.context.params!.path}${search}`, {
    headers: { 'x-microcms-api-key': process.env.BENCH_CMS_KEY! },
  })
})
