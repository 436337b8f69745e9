import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

const FROM = 'Samtykke <no-reply@samtykke.invalid>';

/** Sends through the SMTP server in SMTP_URL. */
export function smtpMailer(url: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail) {
      await transport.sendMail({ from: FROM, ...mail });
    },
  };
}

/**
 * Demo and development: each message becomes an .eml file in DATA_DIR/outbox, and its text
 * (which holds the sign-in link) goes to the log. The recipient's address is not logged.
 */
export function outboxMailer(dir: string, logger: Logger): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transport.sendMail({ from: FROM, ...mail });
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
      writeFileSync(file, info.message as Buffer);
      logger.info({ outbox: file, text: mail.text }, 'demo mail written to the outbox');
    },
  };
}

/** Keeps messages in memory, for tests that read the link a person would have received. */
export class MemoryMailer implements Mailer {
  readonly sent: Mail[] = [];
  async send(mail: Mail): Promise<void> {
    this.sent.push(mail);
  }
  lastTo(to: string): Mail | undefined {
    return [...this.sent].reverse().find((m) => m.to === to);
  }
}
