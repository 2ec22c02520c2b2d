#!/usr/bin/env node
// Lists functions longer than a limit (default 80 lines, first to last line inclusive) in the
// TypeScript sources under src/, for #15's "no function over about 80 lines" rule. In a Vue
// component (.vue) it reads the <script> blocks, and counts a <script setup> block's body as the
// setup() function Vue compiles it into (less imports, types and defineProps/defineEmits, which
// the compiler moves out of setup()).
// usage: node scripts/long-functions.mjs [--max N] [--exclude DIR]... [ROOT=src]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { parse as parseComponent } from 'vue/compiler-sfc';

const args = process.argv.slice(2);
let max = 80;
const excluded = [];
const roots = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--max') max = Number(args[++i]);
  else if (args[i] === '--exclude') excluded.push(args[++i].replace(/\/$/, ''));
  else roots.push(args[i]);
}
if (roots.length === 0) roots.push('src');

function* sourceFiles(dir) {
  if (excluded.includes(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|cts|vue)$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

function nameOf(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  if (parent && ts.isPropertyDeclaration(parent)) return parent.name.getText();
  return '(anonymous)';
}

/** The TypeScript of a file: the file itself, or a component's <script> blocks (with their first line). */
function scriptsOf(file, text) {
  if (!file.endsWith('.vue')) return [{ text, line0: 0, setup: false }];
  const { descriptor } = parseComponent(text, { filename: file });
  return [descriptor.script, descriptor.scriptSetup].filter(Boolean).map((block) => ({
    text: block.content,
    line0: block.loc.start.line - 1,
    setup: block === descriptor.scriptSetup,
  }));
}

/** Lines of a <script setup> block that end up in setup(): from its first statement to its last, less hoisted ones. */
function setupLines(source) {
  const lineOf = (position) => source.getLineAndCharacterOfPosition(position).line;
  const body = source.statements.filter(
    (statement) =>
      !ts.isImportDeclaration(statement) &&
      !ts.isInterfaceDeclaration(statement) &&
      !ts.isTypeAliasDeclaration(statement),
  );
  if (body.length === 0) return { lines: 0, first: 0 };
  const macro = (statement) =>
    /^(const \w+ = )?(withDefaults\(\s*)?define(Props|Emits)\b/.test(statement.getText(source));
  const hoisted = body
    .filter(macro)
    .reduce((sum, statement) => sum + lineOf(statement.getEnd()) - lineOf(statement.getStart(source)), 0);
  const first = lineOf(body[0].getStart(source));
  return { lines: lineOf(body[body.length - 1].getEnd()) - first + 1 - hoisted, first };
}

const found = [];
for (const root of roots) {
  for (const file of sourceFiles(root)) {
    for (const script of scriptsOf(file, readFileSync(file, 'utf8'))) {
      const source = ts.createSourceFile(file, script.text, ts.ScriptTarget.Latest, true);
      if (script.setup) {
        const { lines, first } = setupLines(source);
        if (lines > max)
          found.push({
            lines,
            file: relative('.', file),
            line: script.line0 + first + 1,
            name: '<script setup>',
          });
      }
      const visit = (node) => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
          const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
          const lines = last - first + 1;
          if (lines > max)
            found.push({
              lines,
              file: relative('.', file),
              line: script.line0 + first + 1,
              name: nameOf(node),
            });
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
}
found.sort((a, b) => b.lines - a.lines);
for (const f of found) console.log(`${String(f.lines).padStart(4)}  ${f.name}  ${f.file}:${f.line}`);
console.log(`${found.length} function(s) over ${max} lines`);
