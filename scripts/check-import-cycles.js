#!/usr/bin/env node
// Fails (exit 1) on an import cycle: between any two source files of libs/core and the apps, and between
// libs/core's folders (clients/, flows/, oauth2/, …), where a cycle means two concerns that cannot be
// understood, tested or changed apart. Files directly in libs/core/src (the composition root, runtime,
// errors, the index) sit above the folders and are left out of the folder graph; type-only imports, which
// vanish at compile time, are left out of it too. Specs are not sources.
'use strict';
const path = require('node:path');
const madge = require('madge');

const ROOT = path.join(__dirname, '..');
const CORE = 'libs/core/src';

/** Strongly connected components of more than one node (Tarjan). */
function cycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const found = [];
  let next = 0;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (stack.includes(to)) {
        low.set(node, Math.min(low.get(node), index.get(to)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

async function main() {
  const options = { baseDir: ROOT, fileExtensions: ['ts'], tsConfig: path.join(ROOT, 'tsconfig.json'), excludeRegExp: [/\.spec\.ts$/] };
  const files = await madge([CORE, 'apps'], options);
  const fileCycles = files.circular();

  const core = await madge(CORE, { ...options, baseDir: path.join(ROOT, CORE), detectiveOptions: { ts: { skipTypeImports: true } } });
  const folderOf = (file) => (file.includes('/') ? file.split('/')[0] : null);
  const folders = new Map();
  const why = new Map();
  for (const [file, imports] of Object.entries(core.obj())) {
    const from = folderOf(file);
    if (!from) continue;
    for (const imported of imports) {
      const to = folderOf(imported);
      if (!to || to === from) continue;
      if (!folders.has(from)) folders.set(from, new Set());
      folders.get(from).add(to);
      if (!why.has(`${from}>${to}`)) why.set(`${from}>${to}`, `${file} imports ${imported}`);
    }
  }
  const folderCycles = cycles(folders);

  for (const cycle of fileCycles) console.error(`file cycle: ${cycle.join(' -> ')}`);
  for (const cycle of folderCycles) {
    console.error(`folder cycle in ${CORE}: ${cycle.join(', ')}`);
    for (const from of cycle) for (const to of cycle) if (why.has(`${from}>${to}`)) console.error(`  ${why.get(`${from}>${to}`)}`);
  }
  if (fileCycles.length + folderCycles.length > 0) process.exit(1);
  console.log(`no import cycles: ${Object.keys(files.obj()).length} files, ${folders.size} folders of ${CORE}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
