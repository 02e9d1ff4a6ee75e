// Writes a .br and a .gz beside each built console file (dist/console), which @fastify/static serves
// to browsers that accept them (preCompressed, src/operator-console/static.ts): the service itself
// does not compress answers, and the console's JavaScript is a third of its size gzipped.
const { readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { brotliCompressSync, gzipSync, constants } = require('node:zlib');

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) walk(file);
    else if (/\.(js|css|html|svg|json)$/.test(name)) {
      const body = readFileSync(file);
      writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
      writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    }
  }
}
walk(join(__dirname, '..', 'dist', 'console'));
