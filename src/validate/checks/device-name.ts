/** Check E042: interface devices are 1 to 15 characters from [A-Za-z0-9_.-] (Linux IFNAMSIZ). */

import { Messages } from '../../diagnostics/messages.js';
import { showChar } from '../../syntax/lexer.js';
import type { Check } from '../check.js';

/** Why a device name is invalid, or null. */
export function deviceProblem(device: string): string | null {
  if (device.length === 0) return 'it is empty';
  if (device.length > 15) return `it has ${device.length} characters, at most 15 are allowed`;
  if (device === '.' || device === '..') return 'it is not a valid device name';
  for (const ch of device) if (!/[A-Za-z0-9_.-]/.test(ch)) return `${showChar(ch)} is not allowed (only letters, digits, '_', '.' and '-')`;
  return null;
}

/** Reports device names that no target could carry safely. */
export const deviceName: Check = {
  id: 'device-name',
  run(file, ctx) {
    for (const iface of file.interfaces) {
      const reason = deviceProblem(iface.device);
      const shown = iface.device.length > 40 ? `${iface.device.slice(0, 37)}...` : iface.device;
      if (reason)
        ctx.report(Messages.InvalidDevice, iface.decl.device.span, { device: [...shown].map((c) => (showChar(c).startsWith("'") ? c : '?')).join(''), reason });
    }
  },
};
