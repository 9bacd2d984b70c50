import type { NetnsLab } from './netns-lab.js';
import { SimulatedPlug } from './kasa-simulator.js';
import { SmtpTestServer } from './smtp-test-server.js';

/** Records every change of a simulated relay (polled every 20 ms), with its time. */
export class RelayRecorder {
  readonly changes: { on: boolean; at: number }[] = [];
  private readonly timer: NodeJS.Timeout;
  private last: boolean;

  constructor(private readonly plug: SimulatedPlug) {
    this.last = plug.on;
    this.timer = setInterval(() => {
      if (this.plug.on !== this.last) {
        this.last = this.plug.on;
        this.changes.push({ on: this.last, at: Date.now() });
      }
    }, 20);
  }

  /** When the relay was switched off, oldest first. */
  get offTimes(): number[] {
    return this.changes.filter((c) => !c.on).map((c) => c.at);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** What the power-cycle tests set up around a monitor. */
export interface ModemRigOptions {
  /** The two lab host numbers (see {@link NetnsLab.host}) of the WAN hop and the anchor. */
  readonly hosts: readonly [number, number];
  /** Loopback addresses of the simulated modem plug and lamp. */
  readonly modemAddress: string;
  readonly lampAddress: string;
  /** Whether the lamp starts on (left on by a previous run). */
  readonly lampOn: boolean;
  readonly smtpUser: string;
  readonly smtpPassword: string;
}

/**
 * The power-cycle tests' world: two lab hosts behind the WAN (a first hop and an anchor, both `cycle:Modem`),
 * a simulated modem plug (on) with a recorder, a simulated lamp, and a real SMTP server. `stop()` undoes it
 * all and is safe after a partial start.
 */
export class ModemRig {
  private constructor(
    private readonly lab: NetnsLab,
    readonly hop: string,
    readonly anchor: string,
    readonly modem: SimulatedPlug,
    readonly lamp: SimulatedPlug,
    readonly recorder: RelayRecorder,
    readonly smtp: SmtpTestServer,
  ) {}

  static async start(lab: NetnsLab, options: ModemRigOptions): Promise<ModemRig> {
    const hop = lab.host(options.hosts[0]);
    const anchor = lab.host(options.hosts[1]);
    await lab.addHost(hop);
    await lab.addHost(anchor);
    const modem = await SimulatedPlug.start({ alias: 'Modem', address: options.modemAddress, on: true });
    const lamp = await SimulatedPlug.start({
      alias: 'Lamp',
      address: options.lampAddress,
      on: options.lampOn,
    });
    const smtp = await SmtpTestServer.start({ user: options.smtpUser, password: options.smtpPassword });
    return new ModemRig(lab, hop, anchor, modem, lamp, new RelayRecorder(modem), smtp);
  }

  /** Takes the WAN down: both lab hosts stop answering. */
  async wanDown(): Promise<void> {
    await this.lab.removeHost(this.hop);
    await this.lab.removeHost(this.anchor);
  }

  async stop(): Promise<void> {
    this.recorder.stop();
    await this.smtp.stop();
    await this.modem.stop();
    await this.lamp.stop();
    for (const ip of [this.hop, this.anchor]) await this.lab.removeHost(ip).catch(() => undefined);
  }
}
