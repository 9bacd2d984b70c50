import { errorMessage, FaultError, UserError } from '../shared/errors.js';
import { EmailNotifier } from '../notify/channels/email/email-notifier.js';
import { commandLog, type AppDeps } from './deps.js';
import { readConfig } from './read-config.js';

/**
 * `pingwarden test-email`: sends one test email to the configured recipients.
 * @throws {UserError} when email is not configured, {@link FaultError} when sending failed
 */
export async function sendTestEmail(deps: AppDeps): Promise<void> {
  const config = await readConfig(deps);
  if (!config.smtp) {
    throw new UserError(
      `email is not configured: create ${deps.paths.configDir}/server_info.csv (server_address,port)`,
    );
  }
  const log = commandLog(deps);
  const email = new EmailNotifier({ smtp: config.smtp, log });
  try {
    const { messageId } = await email.sendTest();
    deps.io.out(`test email sent to ${config.smtp.recipients.join(', ')} (message id ${messageId})`);
  } catch (error) {
    throw new FaultError(`test email failed: ${errorMessage(error)}`, { cause: error });
  } finally {
    email.close();
    await log.close();
  }
}
