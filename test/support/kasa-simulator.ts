import simulator from 'tplink-smarthome-simulator';

// tplink-smarthome-simulator is CommonJS; Node's ESM loader does not see its named exports.
const { Device } = simulator;
type SimulatorDevice = InstanceType<typeof Device>;
type DeviceData = ConstructorParameters<typeof Device>[0]['data'];

/** Options of {@link SimulatedPlug.start}. */
export interface SimulatedPlugOptions {
  readonly alias: string;
  /** A loopback address, 127.0.0.x: the simulator must never listen anywhere else. */
  readonly address: string;
  /** Relay state at start. */
  readonly on?: boolean;
  /** Share of answers replaced by garbage (0 to 1), the simulator's "unreliable device". */
  readonly unreliable?: number;
  /** Delay before every answer, for timeouts. */
  readonly responseDelayMs?: number;
}

let serial = 0;

/**
 * A tplink-smarthome-simulator HS100 on a loopback address, TCP and UDP port 9999. Tests assert on its real
 * relay state ({@link on}), not on calls. The simulator's shared UdpServer (which binds 0.0.0.0) is never
 * started: each device answers only on its own loopback address.
 */
export class SimulatedPlug {
  private constructor(
    private device: SimulatorDevice,
    readonly alias: string,
    private readonly mac: string,
  ) {}

  static async start(options: SimulatedPlugOptions): Promise<SimulatedPlug> {
    if (!/^127\.\d+\.\d+\.\d+$/.test(options.address)) {
      throw new Error(`simulated plugs live on loopback only, not ${options.address}`);
    }
    serial += 1;
    const mac = `50:c7:bf:00:00:${serial.toString(16).padStart(2, '0')}`;
    const plug = new SimulatedPlug(
      SimulatedPlug.device(
        options.alias,
        options.address,
        mac,
        options.unreliable ?? 0,
        options.responseDelayMs,
      ),
      options.alias,
      mac,
    );
    plug.on = options.on ?? false;
    try {
      await plug.device.start();
    } catch (error) {
      // The simulator binds UDP before TCP; when TCP fails (port 9999 taken by another run) its UDP
      // socket stays open and keeps mocha alive. It also retries TCP twice, 500 ms apart, after it has
      // rejected: stop it again once those retries are over, or a late bind stays open too. (A wait on a
      // failure path only; the library gives no event to wait for.)
      await plug.device.stop().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      await plug.device.stop().catch(() => undefined);
      throw error;
    }
    return plug;
  }

  private static device(
    alias: string,
    address: string,
    mac: string,
    unreliable: number,
    responseDelay = 0,
  ): SimulatorDevice {
    const device = new Device({
      responseDelay,
      model: 'hs100',
      address,
      port: 9999,
      unreliablePercent: unreliable,
      // The simulator reads deviceId at runtime (its README passes it) although its types leave it out;
      // distinct ids matter, discovery tells devices apart by them.
      data: { alias, mac, deviceId: `SIM${mac.replace(/:/g, '')}` } as DeviceData,
    });
    // A client that goes away mid-connection (a killed daemon) resets the socket; the simulator re-emits
    // that as 'error', which would otherwise crash the test process.
    device.deviceNetworking.on('error', () => undefined);
    return device;
  }

  get address(): string {
    return this.device.address;
  }

  /** The simulated relay: true when the socket is powered. */
  get on(): boolean {
    return this.sysinfo().relay_state === 1;
  }

  set on(value: boolean) {
    this.sysinfo().relay_state = value ? 1 : 0;
  }

  /** Share of answers that are garbage from now on. */
  set unreliable(share: number) {
    this.device.unreliablePercent = share;
  }

  /** Stops answering on the old address and starts on `address`, keeping alias, MAC and relay state. */
  async moveTo(address: string): Promise<void> {
    const on = this.on;
    await this.device.stop();
    this.device = SimulatedPlug.device(this.alias, address, this.mac, this.device.unreliablePercent);
    this.on = on;
    await this.device.start();
  }

  async stop(): Promise<void> {
    await this.device.stop();
  }

  private sysinfo(): { relay_state?: 0 | 1 } {
    return this.device.data.system.sysinfo as { relay_state?: 0 | 1 };
  }
}
