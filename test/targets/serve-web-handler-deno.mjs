/* global Deno */
// Serves a web handler `(request, context) => Response` (a Netlify edge function's default export)
// on HOST:PORT under Deno, as Netlify's edge runtime does. Usage: deno run -A serve-web-handler-deno.mjs <entry>
const { default: handler } = await import(new URL(Deno.args[0], `file://${Deno.cwd()}/`).href)
Deno.serve({ port: Number(Deno.env.get('PORT')), hostname: Deno.env.get('HOST') ?? '127.0.0.1', onListen: () => {} }, async (request, info) => {
  return (await handler(request, { ip: info.remoteAddr.hostname, waitUntil: () => {} })) ?? new Response('not found', { status: 404 })
})
