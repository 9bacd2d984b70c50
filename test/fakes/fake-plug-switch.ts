import type { PlugSwitch } from '../../lib/actions/kasa/plug-switch.js';
import { PlugError } from '../../lib/actions/kasa/plug.js';

/** Plugs as plain booleans; a plug named in `failing` refuses every command. */
export class FakePlugSwitch implements PlugSwitch {
  readonly states = new Map<string, boolean>();
  readonly failing = new Set<string>();
  /** Every command, as `Modem off`, in order. */
  readonly commands: string[] = [];

  async switchTo(name: string, on: boolean): Promise<void> {
    this.commands.push(`${name} ${on ? 'on' : 'off'}`);
    if (this.failing.has(name))
      throw new PlugError(
        name,
        `plug ${name} did not switch ${on ? 'on' : 'off'} (3 tries): connect ECONNREFUSED`,
      );
    this.states.set(name, on);
  }
}
