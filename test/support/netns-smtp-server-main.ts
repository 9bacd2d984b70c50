// Runs inside a lab namespace (see netns-smtp-server.ts): argv = address user password. Prints JSON lines.
import { SmtpTestServer } from './smtp-test-server.js';

const [address = '', user = '', password = ''] = process.argv.slice(2);
const server = await SmtpTestServer.start({ host: address, user, password });
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
let reported = 0;
const report = (): void => {
  for (; reported < server.messages.length; reported++) {
    const { parsed, receivedAt } = server.messages[reported]!;
    const message = {
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      messageId: parsed.messageId ?? '',
      receivedAt,
    };
    process.stdout.write(`${JSON.stringify({ message })}\n`);
  }
};
const timer = setInterval(report, 20);
process.on('SIGTERM', () => {
  clearInterval(timer);
  report();
  void server.stop().then(() => process.exit(0));
});
