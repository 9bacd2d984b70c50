import { PingwardenError } from '../../shared/errors.js';

/** What a plug says about itself. */
export interface PlugInfo {
  /** The name set in the Kasa app. */
  readonly alias: string;
  /** IPv4 address the plug answered from. */
  readonly address: string;
  /** e.g. `HS100(US)`. */
  readonly model: string;
  /** Relay state: true when the plug powers its socket. */
  readonly on: boolean;
}

/** One smart plug, found by name and ready to use. */
export interface Plug {
  /** The name pingwarden's config uses for it (`cycle:Modem`, `indicator_lamp`). */
  readonly name: string;
  /** The alias it had when it was found (the address, for a plug given by address). */
  readonly alias: string;
  readonly address: string;
  /** Reads the relay state from the plug itself. */
  getState(): Promise<boolean>;
  /** Reads alias, model and relay state from the plug itself. */
  describe(): Promise<PlugInfo>;
  /** Switches the relay; resolves once the plug has accepted the command. */
  setPower(on: boolean): Promise<void>;
}

/** How to find plugs on the LAN. */
export interface DiscoveryOptions {
  /** Where the discovery query is broadcast (`255.255.255.255` on a real LAN). */
  readonly broadcast: string;
  /** Addresses also asked directly, for plugs the broadcast does not reach. */
  readonly hosts: readonly string[];
  /** How long to listen for answers. */
  readonly durationMs: number;
}

/**
 * The Kasa protocol as pingwarden uses it, by address. The real one talks to plugs through
 * tplink-smarthome-api; tests use it against tplink-smarthome-simulator devices.
 */
export interface KasaNetwork {
  /** Asks the device at `address` for its alias, model and relay state. */
  describe(address: string): Promise<PlugInfo>;
  /** Switches the relay of the plug at `address`. */
  setPower(address: string, on: boolean): Promise<void>;
  /** Every plug that answered a discovery query within the listening time. */
  discover(options: DiscoveryOptions): Promise<PlugInfo[]>;
}

/** A plug could not be found or did not do what it was told. */
export class PlugError extends PingwardenError {
  override name = 'PlugError';

  constructor(
    /** The plug name as configured. */
    readonly plug: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
