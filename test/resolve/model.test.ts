/**
 * The resolved model keeps no AST node of a rule: the checks read the spans and names copied
 * onto each rule, so each chunk's statements (most of the AST's memory on a large file) are
 * garbage once they are resolved (src/compile.ts loadAndResolve). A field that points back into
 * a statement would keep the whole AST alive through lowering.
 */

import { describe, expect, it } from 'vitest';
import { resolve } from '../../src/resolve/resolve.js';
import { load } from '../../src/sources/load.js';

const source = `interface wan = eth0
interface lan = br-lan subnet 192.168.1.0/24
address office = { 203.0.113.0/24, 198.51.100.7 }
address nas = 192.168.1.20
forward tcp/udp wan:{80, 8000-8009} -> nas:8080-8089 from office log comment "web"
forward tcp 203.0.113.1:2222 -> 192.168.1.30:22 reflect
redirect tcp wan:3128 -> 8080
allow tcp wan -> nas:443 from office
masquerade lan -> wan
`;

/** Every object reachable from `root`, depth-first, each once. */
function reachable(root: unknown): Set<object> {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    for (const child of Object.values(value)) stack.push(child);
  }
  return seen;
}

describe('resolved model', () => {
  it("reaches no node of a rule's statement but leaves (spans, a comment's text and span)", () => {
    const loaded = load(source, 'model.pf');
    const { file, diagnostics } = resolve(loaded.ast);
    expect(diagnostics).toEqual([]);
    expect(file.rules.map((r) => r.kind)).toEqual(['forward', 'forward', 'redirect', 'allow', 'masquerade']);
    // Every object inside the rule statements that holds more than text and spans: sharing a
    // leaf is free, while a node that holds other nodes keeps a part of the statement alive.
    const isSpan = (v: unknown): boolean => typeof v === 'object' && v !== null && Object.keys(v).join() === 'start,end';
    const isLeaf = (o: object): boolean => Object.values(o).every((v) => typeof v !== 'object' || v === null || isSpan(v));
    const nodes = new Set<object>();
    for (const s of loaded.ast.statements) {
      if (s.kind === 'interface' || s.kind === 'address' || s.kind === 'include') continue;
      for (const o of reachable(s)) if (!isLeaf(o)) nodes.add(o);
    }
    expect(nodes.size).toBeGreaterThan(25);
    const kept = [...reachable(file.rules)].filter((o) => nodes.has(o));
    expect(kept).toEqual([]);
  });
});
