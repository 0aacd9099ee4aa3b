#!/usr/bin/env node
// Holds the layering line from CONVENTIONS.md: api/cli → service → core, storage, root-key; core imports nothing of ours.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve('src');
const ALLOWED = {
  core: ['core'],
  'root-key': ['core', 'root-key'],
  storage: ['core', 'storage'],
  service: ['core', 'storage', 'root-key', 'service'],
  api: ['core', 'service', 'api', 'server'],
  server: ['core', 'service', 'storage', 'root-key', 'api', 'server'],
  cli: ['core', 'service', 'storage', 'root-key', 'api', 'server', 'cli'],
};

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const problems = [];
for (const file of files(SRC)) {
  const layer = relative(SRC, file).split('/')[0];
  const allowed = ALLOWED[layer];
  if (!allowed) continue;
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/from '(\.[^']+)'/g)) {
    const target = relative(SRC, resolve(dirname(file), m[1])).split('/')[0];
    if (!allowed.includes(target)) problems.push(`${relative('.', file)} imports ${m[1]} (${layer} → ${target})`);
  }
  if (layer === 'core' && /from 'node:(fs|net|http|child_process)'/.test(text)) problems.push(`${relative('.', file)}: core must not touch fs/net/process`);
}
if (problems.length) {
  console.error(`Layering violations:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('import layering ok');
