import type { Command } from 'commander';

/** `--config` and `--logs` as commander gives them to every command that reads the configuration. */
export interface PathOptions {
  config: string;
  logs: string;
}

/**
 * Adds the subcommand `name` to `parent` with the `--config` and `--logs` options every config-reading
 * command takes, with the same defaults everywhere (`config`, `logs`).
 *
 * @param logsHelp what `--logs` holds for this command, for `--help`
 */
export function commandWithPaths(
  parent: Command,
  name: string,
  description: string,
  logsHelp = 'folder for log files and state',
): Command {
  return parent
    .command(name)
    .description(description)
    .option('--config <dir>', 'folder of the CSV configuration files', 'config')
    .option('--logs <dir>', logsHelp, 'logs');
}
