/**
 * The design, checked: no import cycle in src/ (type-only imports included), no folder with more than
 * 15 files directly in it, and the layer rules (README, Architecture): core imports nothing outside core;
 * protocol only core; llm only core; store only core and protocol; worker not the page's client or ui; client
 * not worker or llm; ui never worker or llm, and protocol only with `import type`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(process.cwd(), 'src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

const files = walk(SRC);
const tsFiles = files.filter((f) => f.endsWith('.ts'));
const rel = (f: string) => path.relative(SRC, f).split(path.sep).join('/');

function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (tsFiles.includes(c)) return c;
  }
  return null;
}

/** Every relative import of a file: static (value or type), re-exports, dynamic import() and import types. */
function edgesOf(file: string): Edge[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: Edge[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    if (!spec.startsWith('.')) return;
    const to = resolve(file, spec);
    if (to) out.push({ from: rel(file), to: rel(to), typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const named = c?.namedBindings;
      const allTypes =
        !!c &&
        (c.isTypeOnly || (!c.name && !!named && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, allTypes);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const a = node.arguments[0];
      if (a && ts.isStringLiteral(a)) add(a.text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const lit = node.argument.literal;
      if (ts.isStringLiteral(lit)) add(lit.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const edges = tsFiles.flatMap(edgesOf);
const layerOf = (f: string) => (f.includes('/') ? f.slice(0, f.indexOf('/')) : f);

/** Strongly connected components with more than one file (or a file importing itself). */
function cycles(): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (next.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const f of tsFiles.map(rel)) if (!idx.has(f)) strong(f);
  return out;
}

/** Layers each layer may import at all, and those it may import only with `import type`. */
const ALLOWED: Record<string, { any: string[]; typeOnly?: string[] }> = {
  core: { any: ['core'] },
  protocol: { any: ['core', 'protocol'] },
  llm: { any: ['core', 'llm'] },
  store: { any: ['core', 'store'], typeOnly: ['protocol'] },
  worker: { any: ['core', 'protocol', 'llm', 'store', 'worker'] },
  client: { any: ['core', 'protocol', 'client'] },
  ui: { any: ['core', 'store', 'client', 'ui'], typeOnly: ['protocol'] },
  cli: { any: ['core', 'llm', 'cli'] },
  'main.ts': { any: ['ui'] },
};

describe('architecture', () => {
  it('has no import cycle, type-only imports included', () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(cycles()).toEqual([]);
  });

  it('has no folder in src/ with more than 15 files directly in it', () => {
    const counts = new Map<string, number>();
    for (const f of files) counts.set(path.dirname(f), (counts.get(path.dirname(f)) ?? 0) + 1);
    const crowded = [...counts].filter(([, n]) => n > 15).map(([d, n]) => `${rel(d)}: ${n}`);
    expect(crowded).toEqual([]);
  });

  it('gives no two source files the same name', () => {
    const seen = new Map<string, string[]>();
    for (const f of files.map(rel)) {
      const name = path.basename(f);
      seen.set(name, [...(seen.get(name) ?? []), f]);
    }
    expect([...seen.values()].filter((v) => v.length > 1)).toEqual([]);
  });

  it('keeps every import inside the layers it may use', () => {
    const bad = edges
      .filter((e) => {
        const from = layerOf(e.from);
        const to = layerOf(e.to);
        const rule = ALLOWED[from];
        if (!rule) return true;
        if (rule.any.includes(to)) return false;
        return !(e.typeOnly && rule.typeOnly?.includes(to));
      })
      .map((e) => `${e.from} → ${e.to}${e.typeOnly ? ' (type)' : ''}`);
    expect(bad).toEqual([]);
  });

  it('names a file drpo-*.ts only when it defines that element', () => {
    const wrong = tsFiles
      .filter((f) => path.basename(f).startsWith('drpo-') && !f.endsWith('.worker.ts'))
      .filter((f) => {
        const tag = path.basename(f, '.ts');
        return !readFileSync(f, 'utf8').includes(`@customElement('${tag}')`);
      })
      .map(rel);
    expect(wrong).toEqual([]);
  });
});
