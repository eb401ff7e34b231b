/**
 * The DevTools tab: a self-contained page (the tab's iframe) that polls `./devtools/state` once a
 * second. It shows only what the state route returns, which holds no credential.
 */
export const devtoolsPage = /* html */ `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nuxt-cms-auth</title>
<style>
  body { font: 13px/1.5 system-ui, sans-serif; margin: 16px; color: #ddd; background: #151515; }
  @media (prefers-color-scheme: light) { body { color: #222; background: #fff; } }
  h2 { font-size: 14px; margin: 20px 0 6px; opacity: .8; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #8883; white-space: nowrap; }
  td.path { white-space: normal; word-break: break-all; font-family: ui-monospace, monospace; }
  .bad { color: #e5484d; } .ok { color: #30a46c; } .muted { opacity: .6; }
</style></head>
<body>
<h2>APIs</h2><table id="apis"></table>
<h2>Dynamic tokens</h2><table id="tokens"></table>
<h2>Login and refresh timeline</h2><table id="timeline"></table>
<h2>Recent proxied requests</h2><table id="requests"></table>
<p class="muted">Tokens, keys and credential query values are never sent to this page. Dev server only.</p>
<script>
const esc = value => String(value ?? '').replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])
const time = at => new Date(at).toLocaleTimeString()
function fill(id, head, rows, empty) {
  const body = rows.length ? rows.map(cells => '<tr>' + cells.map(c => '<td' + (c && c.cls ? ' class="' + c.cls + '"' : '') + '>' + esc(c && c.text !== undefined ? c.text : c) + '</td>').join('') + '</tr>').join('') : '<tr><td class="muted">' + esc(empty) + '</td></tr>'
  document.getElementById(id).innerHTML = '<tr>' + head.map(h => '<th>' + esc(h) + '</th>').join('') + '</tr>' + body
}
function remaining(expiresAt) {
  if (expiresAt == null) return '—'
  const seconds = Math.round((expiresAt - Date.now()) / 1000)
  return seconds > 0 ? { text: seconds + ' s left', cls: 'ok' } : { text: 'expired ' + -seconds + ' s ago', cls: 'bad' }
}
async function refresh() {
  const state = await fetch(location.pathname.replace(/\\/$/, '') + '/state').then(r => r.json())
  fill('apis', ['name', 'preset', 'auth', 'mode', 'base URL', 'credential', 'static token'], state.apis.map(a => [a.name, a.preset, a.auth, a.mode, { text: a.baseURL, cls: 'path' }, a.credential, a.auth === 'static' ? (a.tokenSet ? 'set (hidden)' : { text: 'missing', cls: 'bad' }) : '—']), 'No API configured')
  const dynamic = state.apis.filter(a => a.auth === 'dynamic')
  fill('tokens', ['api', 'mode', 'status', 'remaining lifetime', 'reported'], dynamic.map(a => { const t = state.tokens[a.name] || {}; return [a.name, a.mode, t.status || 'no report yet (open a page of the app)', remaining(t.expiresAt), t.at ? time(t.at) : '—'] }), 'No dynamic API')
  fill('timeline', ['time', 'api', 'event', 'detail'], state.timeline.map(e => [time(e.at), e.api, { text: e.event, cls: e.event === 'error' ? 'bad' : '' }, [e.reason, e.statusCode, e.fromOtherTab ? 'from another tab' : ''].filter(Boolean).join(' ')]), 'No login, refresh or logout yet')
  fill('requests', ['time', 'api', 'method', 'path', 'status', 'ms'], state.requests.map(r => [time(r.at), r.api, r.method, { text: r.path, cls: 'path' }, { text: r.status, cls: r.status >= 400 ? 'bad' : 'ok' }, r.ms]), 'No proxied request yet')
}
refresh(); setInterval(() => refresh().catch(() => {}), 1000)
</script>
</body></html>
`
