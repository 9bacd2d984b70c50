import { SystemPinger } from '../../../lib/probe/icmp/system-pinger.js';
import { describePingerContract } from './pinger-contract.js';

describePingerContract('SystemPinger', (clock) => new SystemPinger({ clock, maxConcurrent: 8 }));
