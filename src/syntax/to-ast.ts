/**
 * CST to AST: turns each parsed statement into a typed node with half-open spans. It also
 * reports what the grammar lets through but the language forbids: a repeated protocol or option
 * (E014) and an option the statement does not take (E001).
 */

import type { CstNode, IToken } from 'chevrotain';
import type * as A from '../ast.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { Messages } from '../diagnostics/messages.js';
import { Reporter } from '../diagnostics/report.js';

type Child = CstNode | IToken;

const isToken = (c: Child | undefined): c is IToken => c !== undefined && 'image' in c;
const tokenSpan = (t: IToken): Span => ({ start: t.startOffset, end: t.startOffset + t.image.length });

function tokens(node: CstNode, key: string): IToken[] {
  return (node.children[key] ?? []).filter(isToken);
}
function token(node: CstNode, key: string): IToken | undefined {
  return tokens(node, key)[0];
}
function nodes(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).filter((c): c is CstNode => !isToken(c));
}
function child(node: CstNode, key: string): CstNode {
  const found = nodes(node, key)[0];
  if (!found) throw new Error(`to-ast: missing '${key}' in ${node.name}`);
  return found;
}

/** The span of a CST node: from its first token to the end of its last. */
function nodeSpan(node: CstNode): Span {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  const walk = (n: CstNode): void => {
    for (const list of Object.values(n.children))
      for (const c of list) {
        if (isToken(c)) {
          start = Math.min(start, c.startOffset);
          end = Math.max(end, c.startOffset + c.image.length);
        } else walk(c);
      }
  };
  walk(node);
  return { start, end };
}

const ident = (t: IToken): A.Ident => ({ text: t.image, span: tokenSpan(t) });

/** The text of a string literal without quotes and escapes. */
export function unquote(image: string): string {
  return image.slice(1, -1).replace(/\\(["\\])/g, '$1');
}

function host(node: CstNode): A.HostRef {
  const name = token(node, 'Name');
  if (name) return { kind: 'name', text: name.image, span: tokenSpan(name) };
  const v4 = token(node, 'IPv4');
  if (v4) return { kind: 'ipv4', text: v4.image, span: tokenSpan(v4) };
  const v6 = token(node, 'IPv6') as IToken;
  return { kind: 'ipv6', text: v6.image, span: tokenSpan(v6) };
}

function addressValue(node: CstNode): A.AddressValue {
  return { items: nodes(node, 'host').map(host), braced: token(node, 'LBrace') !== undefined, span: nodeSpan(node) };
}

function portItem(node: CstNode): A.PortItem {
  const service = token(node, 'service');
  if (service) return { kind: 'service', name: service.image, span: tokenSpan(service) };
  const first = token(node, 'first') as IToken;
  const last = token(node, 'last');
  const num = (t: IToken): A.NumberText => ({ text: t.image, span: tokenSpan(t) });
  if (last) return { kind: 'range', first: num(first), last: num(last), span: nodeSpan(node) };
  return { kind: 'port', port: num(first), span: tokenSpan(first) };
}

function portSpec(node: CstNode): A.PortSpec {
  return { items: nodes(node, 'portItem').map(portItem), braced: token(node, 'LBrace') !== undefined, span: nodeSpan(node) };
}

/** Builds AST nodes for one file, reporting language rules the grammar does not enforce. */
class AstBuilder {
  constructor(private readonly out: Reporter) {}

  protocols(node: CstNode): A.Protocols {
    const list: { name: 'tcp' | 'udp'; span: Span }[] = [];
    for (const p of nodes(node, 'protocol')) {
      const t = (token(p, 'Tcp') ?? token(p, 'Udp')) as IToken;
      const name = t.image as 'tcp' | 'udp';
      if (list.some((q) => q.name === name)) this.out.report(Messages.Repeated, tokenSpan(t), { what: 'Protocol', name });
      list.push({ name, span: tokenSpan(t) });
    }
    return { list, span: nodeSpan(node) };
  }

  options(node: CstNode, statement: string, allowed: readonly string[]): A.Options {
    let from: A.AddressValue | null = null;
    let reflect: Span | null = null;
    let log: Span | null = null;
    let comment: { text: string; span: Span } | null = null;
    for (const opt of nodes(node, 'optionItem')) {
      const keyword = (token(opt, 'From') ?? token(opt, 'Reflect') ?? token(opt, 'Log') ?? token(opt, 'CommentKw')) as IToken;
      const name = keyword.image;
      const span = tokenSpan(keyword);
      if (!allowed.includes(name)) {
        this.out.report(Messages.SyntaxError, span, {
          detail: `Option '${name}' is not valid on ${statement === 'allow' ? 'an' : 'a'} ${statement} statement (it takes ${allowed.join(', ')}).`,
        });
        continue;
      }
      const seen = { from, reflect, log, comment }[name as 'from' | 'reflect' | 'log' | 'comment'];
      if (seen !== null) {
        this.out.report(Messages.Repeated, span, { what: 'Option', name });
        continue;
      }
      if (name === 'from') from = addressValue(child(opt, 'addressValue'));
      else if (name === 'reflect') reflect = span;
      else if (name === 'log') log = span;
      else {
        const str = token(opt, 'StringLit') as IToken;
        comment = { text: unquote(str.image), span: tokenSpan(str) };
      }
    }
    return { from, reflect, log, comment };
  }

  statement(cst: CstNode): A.Statement {
    const [kind, list] = Object.entries(cst.children)[0] as [string, CstNode[]];
    const node = list[0] as CstNode;
    const span = nodeSpan(node);
    switch (kind) {
      case 'interfaceDecl': {
        const names = tokens(node, 'Name');
        const device = token(node, 'device') as IToken;
        const subnet = nodes(node, 'addressValue')[0];
        const deviceText = device.tokenType.name === 'StringLit' ? unquote(device.image) : device.image;
        return {
          kind: 'interface',
          name: ident(names[0] as IToken),
          device: { text: deviceText, span: tokenSpan(device) },
          subnet: subnet ? addressValue(subnet) : null,
          span,
        };
      }
      case 'addressDecl':
        return { kind: 'address', name: ident(token(node, 'Name') as IToken), value: addressValue(child(node, 'addressValue')), span };
      case 'forwardStmt': {
        const targetPorts = nodes(node, 'targetPorts')[0];
        return {
          kind: 'forward',
          protocols: this.protocols(child(node, 'protocols')),
          ingress: host(child(node, 'ingress')),
          ports: portSpec(child(node, 'ports')),
          target: host(child(node, 'target')),
          targetPorts: targetPorts ? portSpec(targetPorts) : null,
          options: this.options(child(node, 'options'), 'forward', ['from', 'reflect', 'log', 'comment']),
          span,
        };
      }
      case 'redirectStmt': {
        const ingress = nodes(node, 'ingress')[0];
        return {
          kind: 'redirect',
          protocols: this.protocols(child(node, 'protocols')),
          ingress: ingress ? host(ingress) : null,
          ports: portSpec(child(node, 'ports')),
          targetPorts: portSpec(child(node, 'targetPorts')),
          options: this.options(child(node, 'options'), 'redirect', ['from', 'log', 'comment']),
          span,
        };
      }
      case 'allowStmt':
        return {
          kind: 'allow',
          protocols: this.protocols(child(node, 'protocols')),
          ingress: ident(token(node, 'ingress') as IToken),
          target: host(child(node, 'target')),
          ports: portSpec(child(node, 'ports')),
          options: this.options(child(node, 'options'), 'allow', ['from', 'log', 'comment']),
          span,
        };
      case 'masqueradeStmt':
        return { kind: 'masquerade', source: addressValue(child(node, 'source')), egress: ident(token(node, 'egress') as IToken), span };
      case 'includeStmt': {
        const str = token(node, 'StringLit') as IToken;
        return { kind: 'include', path: { text: unquote(str.image), span: tokenSpan(str) }, span };
      }
      default:
        throw new Error(`to-ast: unknown statement '${kind}'`);
    }
  }
}

/** Builds the AST of a file from its parsed statements. */
export function toAst(statements: readonly CstNode[], file: string): { ast: A.AstFile; diagnostics: Diagnostic[] } {
  const out = new Reporter(file);
  const builder = new AstBuilder(out);
  return { ast: { file, statements: statements.map((s) => builder.statement(s)) }, diagnostics: out.diagnostics };
}
