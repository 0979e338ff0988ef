/**
 * Statement facts for the semantic diff: the IR rules of one statement gathered back together
 * (they share an origin) and described field by field in the terms a reviewer reads. Each field
 * has a text to show and a key to compare: values, never names (renaming `nas` changes nothing).
 */

import type { Interface, Ir, Origin, PortMapping, PortRange, Prefix } from '../ir/model.js';

/** The kinds of statement the diff compares. */
export type RuleKind = 'forward' | 'redirect' | 'allow' | 'masquerade';

/** The fields of a statement, in the order they are shown. */
export const fieldNames = ['ingress', 'protocol', 'ports', 'target', 'sources', 'options'] as const;

/** One of {@link fieldNames}. */
export type FieldName = (typeof fieldNames)[number];

/** A field: what to show, and what to compare. */
export interface Field {
  readonly text: string;
  readonly key: string;
}

/** One statement of a rule set, by meaning. */
export interface RuleFacts {
  readonly kind: RuleKind;
  readonly origin: Origin;
  readonly fields: Readonly<Record<FieldName, Field>>;
  /** The statement in pfc syntax, from its values: `forward tcp wan:80 -> 192.168.1.20:8080`. */
  readonly text: string;
}

const field = (text: string, key = text): Field => ({ text, key });

/** Ports as pfc writes them: `80`, `8000-8010`, `{80, 443}`. */
export function portsText(ports: readonly PortRange[]): string {
  const items = ports.map((p) => (p.first === p.last ? `${p.first}` : `${p.first}-${p.last}`));
  return items.length === 1 ? items[0]! : `{${items.join(', ')}}`;
}

/** An address as pfc writes it: IPv6 in brackets. */
export function hostText(p: Prefix): string {
  return p.family === 'ipv6' ? `[${p.text}]` : p.text;
}

function mappingText(m: PortMapping): string {
  return m.kind === 'same' ? '' : m.kind === 'port' ? `:${m.port}` : `:${m.first}-${m.last}`;
}

function ifaceField(i: Interface): Field {
  return field(i.name, `if:${i.device}`);
}

function setText(prefixes: readonly Prefix[]): string {
  return prefixes.length === 1 ? hostText(prefixes[0]!) : `{${prefixes.map(hostText).join(', ')}}`;
}

type Item = Ir['forwards'][number] | Ir['redirects'][number] | Ir['allows'][number] | Ir['masquerades'][number];

function describe(kind: RuleKind, items: readonly Item[]): RuleFacts {
  const first = items[0]!;
  const protocols = [...new Set(items.flatMap((i) => ('protocol' in i ? [i.protocol] : [])))].sort();
  const sourcesOf = (i: Item): readonly Prefix[] | null => ('sources' in i ? i.sources : null);
  const sourced = items.map(sourcesOf);
  const sources = sourced.some((s) => s === null) ? null : [...new Map(sourced.flat().map((p) => [p!.text, p!])).values()];
  const options: string[] = [];
  if ('reflect' in first && first.reflect) options.push('reflect');
  if ('log' in first && first.log) options.push('log');
  if ('comment' in first && first.comment !== null) options.push(`comment "${first.comment}"`);
  let ingress: Field = field('');
  let ports: Field = field('');
  let target: Field = field('');
  if (first.kind === 'forward') {
    ingress = first.ingress.kind === 'interface' ? ifaceField(first.ingress.iface) : field(hostText(first.ingress.address));
    ports = field(portsText(first.ports));
    target = field(`${hostText(first.target)}${mappingText(first.mapping)}`);
  } else if (first.kind === 'redirect') {
    ingress =
      first.ingress === null
        ? field('any', 'any')
        : first.ingress.kind === 'interface'
          ? ifaceField(first.ingress.iface)
          : field(hostText(first.ingress.address));
    ports = field(portsText(first.ports));
    target = field(`local${mappingText(first.mapping) || ' (same port)'}`);
  } else if (first.kind === 'allow') {
    ingress = ifaceField(first.ingress);
    ports = field(portsText(first.ports));
    const targets = [...new Map(items.map((i) => [(i as typeof first).target.text, (i as typeof first).target])).values()];
    target = field(setText(targets));
  } else {
    const src = first.source;
    if (src.kind === 'interface') ingress = ifaceField(src.iface);
    else {
      const all = items.flatMap((i) =>
        (i as typeof first).source.kind === 'addresses' ? (i as { source: { prefixes: readonly Prefix[] } }).source.prefixes : [],
      );
      ingress = field(setText(all));
    }
    target = ifaceField(first.egress);
  }
  const fields: Record<FieldName, Field> = {
    ingress,
    protocol: field(protocols.join('/')),
    ports,
    target,
    sources: field(sources === null ? 'any' : setText(sources)),
    options: field(options.join(' ')),
  };
  return { kind, origin: first.origin, fields, text: statementText(kind, fields) };
}

function statementText(kind: RuleKind, f: Record<FieldName, Field>): string {
  const from = f.sources.text === 'any' ? '' : ` from ${f.sources.text}`;
  const opts = f.options.text ? ` ${f.options.text}` : '';
  if (kind === 'masquerade') return `masquerade ${f.ingress.text} -> ${f.target.text}`;
  if (kind === 'allow') return `allow ${f.protocol.text} ${f.ingress.text} -> ${f.target.text}:${f.ports.text}${from}${opts}`;
  if (kind === 'redirect') {
    const at = f.ingress.text === 'any' ? '' : `${f.ingress.text}:`;
    const to = f.target.text.startsWith('local:') ? f.target.text.slice('local:'.length) : f.ports.text;
    return `redirect ${f.protocol.text} ${at}${f.ports.text} -> ${to}${from}${opts}`;
  }
  return `forward ${f.protocol.text} ${f.ingress.text}:${f.ports.text} -> ${f.target.text}${from}${opts}`;
}

/** Every statement of a rule set by meaning, in source order (file, then line). */
export function ruleFacts(ir: Ir): RuleFacts[] {
  const groups = new Map<string, { kind: RuleKind; items: Item[] }>();
  const add = (kind: RuleKind, item: Item): void => {
    const key = `${kind}:${item.origin.span.start}`;
    const g = groups.get(key) ?? { kind, items: [] };
    g.items.push(item);
    groups.set(key, g);
  };
  for (const f of ir.forwards) add('forward', f);
  for (const r of ir.redirects) add('redirect', r);
  for (const a of ir.allows) add('allow', a);
  for (const m of ir.masquerades) add('masquerade', m);
  return [...groups.values()].map((g) => describe(g.kind, g.items)).sort((a, b) => a.origin.span.start - b.origin.span.start);
}

/** The declared interfaces by meaning: name, device and subnets. */
export function interfaceFacts(ir: Ir): { name: string; text: string }[] {
  return ir.interfaces.map((i) => ({ name: i.name, text: `${i.device}${i.subnets.length > 0 ? ` subnet ${setText(i.subnets)}` : ''}` }));
}
