// Baseline for the performance budget: a bare node:http server that reads the request body, parses it
// as JSON and sends it back re-serialised (content-type application/json). Nothing else: no framework,
// no auth, no crypto, no storage. Strongroom's throughput is compared with this one's in the same run.
//
//   node bench/echo-server.mjs            (PORT=0 by default: a free port; HOST=127.0.0.1)
//
// Prints one JSON line containing "address":"http://127.0.0.1:PORT" once it listens; stops on SIGINT/SIGTERM.
import { createServer } from 'node:http';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 0);

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let out;
    let status = 200;
    try {
      out = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      status = 400;
      out = JSON.stringify({ error: 'invalid JSON' });
    }
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
// Match Fastify's default so idle keep-alive handling is not a difference between the two servers.
server.keepAliveTimeout = 72_000;

server.listen(port, host, () => {
  const a = server.address();
  process.stdout.write(`${JSON.stringify({ msg: 'echo server listening', address: `http://${a.address}:${a.port}` })}\n`);
});

const stop = () => server.close(() => process.exit(0)).closeAllConnections();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
