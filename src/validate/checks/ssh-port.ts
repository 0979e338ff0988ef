/** Check W002: forwarding or redirecting port 22 on an interface takes it from the router's sshd. */

import { Messages } from '../../diagnostics/messages.js';
import type { RPort } from '../../resolve/model.js';
import type { Check } from '../check.js';

const hasSsh = (p: RPort): boolean => p.first <= 22 && 22 <= p.last;

/** Warns when an interface-wide forward or redirect matches port 22. */
export const sshPort: Check = {
  id: 'ssh-port',
  run(file, ctx) {
    const rules = file.rules;
    // Indexed: see check.ts.
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (rule.kind !== 'forward' && rule.kind !== 'redirect') continue;
      if (rule.ingress === undefined || rule.ingress?.kind === 'address') continue;
      const hit = rule.ports?.find(hasSsh);
      if (!hit) continue;
      const where = rule.ingress === null ? 'every interface' : `'${rule.ingress.iface.name}'`;
      ctx.report(Messages.SshPort, hit.span, { what: rule.kind === 'forward' ? 'Forwarding' : 'Redirecting', where });
    }
  },
};
