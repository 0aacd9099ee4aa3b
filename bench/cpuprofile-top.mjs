#!/usr/bin/env node
// Summarises V8 .cpuprofile files (from `node --cpu-prof`, e.g. `npm run bench -- --profile /tmp/prof`):
// the top functions by self time, and the share of time spent by package / source area (self time).
//
//   node bench/cpuprofile-top.mjs /tmp/prof/*.cpuprofile [--top 30]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '30' } }, allowPositionals: true });
if (positionals.length === 0) {
  console.error('Usage: node bench/cpuprofile-top.mjs <file.cpuprofile>... [--top N]');
  process.exit(2);
}
const top = Number(values.top) || 30;

const self = new Map(); // "function url:line" -> microseconds
const area = new Map(); // package or source area -> microseconds
let total = 0;

function areaOf(url, name) {
  if (!url) return name === '(garbage collector)' || name === '(program)' || name === '(idle)' ? name : '(native / V8 builtins)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `npm:${nm[1]}`;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?([^/]+).*/, 'node:$2');
  const dist = /\/dist\/(.*)$/.exec(url);
  if (dist) return `strongroom:${dist[1].split('/').slice(0, -1).join('/') || '.'}`;
  return url;
}

for (const file of positionals) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  for (let i = 0; i < p.samples.length; i++) {
    const d = p.timeDeltas[i] ?? 0;
    dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + d);
  }
  for (const [id, us] of dt) {
    const n = byId.get(id);
    if (!n) continue;
    const cf = n.callFrame;
    if (cf.functionName === '(idle)') continue;
    const short = cf.url ? cf.url.replace(/^.*\/(node_modules\/|dist\/)/, '$1').replace(/^file:\/\//, '') : '';
    const key = `${cf.functionName || '(anonymous)'}  ${short}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + us);
    const a = areaOf(cf.url, cf.functionName);
    area.set(a, (area.get(a) ?? 0) + us);
    total += us;
  }
}

const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
console.log(`Busy (non-idle) samples: ${(total / 1e6).toFixed(2)} s\n\nTop ${top} functions by self time:`);
for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${k}`);
console.log('\nSelf time by area:');
for (const [k, us] of [...area].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(us)}  ${k}`);
