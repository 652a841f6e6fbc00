// @ts-check
// The ceiling: node:http reading the whole body and answering 202, nothing else.
// Plain JavaScript so it runs under bare `node`: the tsx loader alone adds ~40 MB of RSS,
// which would distort the peak-RSS comparison.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import process from 'node:process';

const port = Number(process.env.PORT);
const body = '{"status":"accepted"}';

createServer((req, res) => {
  let bytes = 0;
  req.on('data', (chunk) => {
    bytes += chunk.length;
  });
  req.on('end', () => {
    res.writeHead(202, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-body-bytes': bytes });
    res.end(body);
  });
}).listen(port, '127.0.0.1');
