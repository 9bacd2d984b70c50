/**
 * The files of a config directory, by role. hosts.csv is required, the rest are optional. Adding a file
 * here also makes {@link configFingerprint} watch it.
 */
export const CONFIG_FILES = {
  hosts: 'hosts.csv',
  serverInfo: 'server_info.csv',
  creds: 'creds.csv',
  recipients: 'email_recipients.csv',
  settings: 'settings.csv',
  sensors: 'sensors.csv',
  kasa: 'kasa.csv',
  maintenance: 'maintenance.csv',
  routes: 'routes.csv',
} as const;

/** A role in {@link CONFIG_FILES}. */
export type ConfigFileRole = keyof typeof CONFIG_FILES;
