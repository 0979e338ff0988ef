/** Check W002: forwarding or redirecting port 22 on an interface takes it from the router's sshd. */

import { Messages } from '../../diagnostics/messages.js';
import type { Check } from '../check.js';

/** Warns when an interface-wide forward or redirect matches port 22. */
export const sshPort: Check = {
  id: 'ssh-port',
  run(file, ctx) {
    for (const rule of file.rules) {
      if (rule.kind !== 'forward' && rule.kind !== 'redirect') continue;
      if (rule.ingress === undefined || rule.ingress?.kind === 'address') continue;
      const where = rule.ingress === null ? 'every interface' : `'${rule.ingress.iface.name}'`;
      const hit = rule.ports?.find((p) => p.first <= 22 && 22 <= p.last);
      if (hit) ctx.report(Messages.SshPort, hit.span, { what: rule.kind === 'forward' ? 'Forwarding' : 'Redirecting', where });
    }
  },
};
