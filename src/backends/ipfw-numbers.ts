/**
 * Rule numbers of the ipfw target: from the sizes of planIpfw's sections (in evaluation order)
 * to each section's first number and the number of each of its rules, all in pfc's range.
 * Pure; used by src/backends/ipfw.ts.
 */

/** pfc's rule numbers: first, step and last (ipfw(8): rule numbers 1..65534). */
export const IPFW_RULES = { first: 10000, step: 10, last: 19990 } as const;

/** How many numbers pfc's range holds: first, first + step, ..., last (1,000). */
export const IPFW_SLOTS = (IPFW_RULES.last - IPFW_RULES.first) / IPFW_RULES.step + 1;

/** A section's first number, and each of its items with the number it gets. */
export interface NumberedSection<T> {
  readonly first: number;
  readonly rules: readonly { readonly item: T; readonly number: number }[];
}

/** Numbers the sections take with `per` rules to a number, each section starting on a new one. */
const slotsTaken = (sizes: readonly number[], per: number): number => sizes.reduce((n, size) => n + Math.ceil(size / per), 0);

/**
 * The fewest rules to a number with which every section fits pfc's range: 1 while the rules fit
 * one to a number (about 1,000), more beyond. ipfw(8) RULE FORMAT: "Multiple rules can have the
 * same number, in which case they are checked (and listed) according to the order in which
 * they have been added." At most the largest section's size, where each section takes one number.
 */
export function rulesPerNumber(sizes: readonly number[]): number {
  const total = sizes.reduce((n, size) => n + size, 0);
  const largest = Math.max(1, ...sizes);
  let per = Math.max(1, Math.ceil(total / IPFW_SLOTS));
  while (per < largest && slotsTaken(sizes, per) > IPFW_SLOTS) per++;
  return per;
}

/** Where the sections go: `per` rules to a number, and each section's first number. */
export interface Placement {
  readonly per: number;
  readonly firsts: readonly number[];
}

/**
 * Places sections of the given sizes: rule i of a section gets the section's first number plus
 * step times floor(i / per) (`ruleNumber`), and the next section starts one step past the last
 * number used, so numbers never decrease and a section's first number is above every number
 * before it (a `skipto` to it lands on its first rule: "The search continues with the first rule
 * numbered number or higher", ipfw(8) RULE ACTIONS). With per = 1 this is 10000, 10010, ...
 * An empty section takes no number; its first number is the next section's. Only sizes are
 * needed, so the backend numbers its rules as it writes them.
 */
export function placeSections(sizes: readonly number[]): Placement {
  const per = rulesPerNumber(sizes);
  let slot = 0;
  const firsts = sizes.map((size) => {
    const first = IPFW_RULES.first + slot * IPFW_RULES.step;
    slot += Math.ceil(size / per);
    return first;
  });
  return { per, firsts };
}

/** The number of rule `index` of a section placed at `first`, `per` rules to a number. */
export const ruleNumber = (first: number, per: number, index: number): number => first + Math.floor(index / per) * IPFW_RULES.step;

/** Numbers the sections' items as placeSections places them (each item with its number). */
export function numberSections<T>(sections: readonly (readonly T[])[]): { per: number; sections: NumberedSection<T>[] } {
  const { per, firsts } = placeSections(sections.map((s) => s.length));
  const numbered = sections.map((items, s) => {
    const first = firsts[s]!;
    return { first, rules: items.map((item, i) => ({ item, number: ruleNumber(first, per, i) })) };
  });
  return { per, sections: numbered };
}
