// Serves a Node (req, res) listener module's default export on HOST:PORT, the way Vercel's Node
// runtime hands a function its requests. Usage: node serve-node-listener.mjs <entry.mjs>
import { createServer } from 'node:http'
import { pathToFileURL } from 'node:url'

const { default: listener } = await import(pathToFileURL(process.argv[2]).href)
createServer(listener).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1')
