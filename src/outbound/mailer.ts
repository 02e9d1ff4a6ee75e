import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { OutboundMessage, Webhook } from '../generated/prisma/client';
import type { Breach, NewMail } from './outbound.repository';
import { type DigestLine, digestMail, esc } from './digest.rules';

export interface MailResult {
  ok: boolean;
  responseCode?: number;
  error: string | null;
  answer: string | null;
}

export const newMessageId = (): string => `msg_${randomUUID().replace(/-/g, '')}`;

/** R-W7: mail through SMTP_URL with nodemailer; without it (development) mails are kept, not sent. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport?: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // loaded only when mail goes out: without SMTP_URL nodemailer's 40 modules (2 MiB of heap) are never needed (issue 30)
    if (config.smtpUrl) this.transport = (require('nodemailer') as typeof import('nodemailer')).createTransport(config.smtpUrl);
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  /** Whether mails go out (else they are kept, status KEPT). */
  get sends(): boolean {
    return this.transport !== undefined;
  }

  async send(message: Pick<OutboundMessage, 'id' | 'mailTo' | 'subject' | 'payload'>): Promise<MailResult> {
    if (!this.transport) return { ok: false, error: 'SMTP_URL is not set', answer: null };
    const body = message.payload as { text: string; html: string };
    try {
      const info = (await this.transport.sendMail({
        from: this.config.mailFrom ?? 'APKT <apkt@localhost>',
        to: message.mailTo,
        subject: message.subject ?? '',
        text: body.text,
        html: body.html,
        messageId: `<${message.id}@apkt>`,
      })) as { response?: string };
      return { ok: true, responseCode: Number(/^\d{3}/.exec(info.response ?? '')?.[0]) || 250, error: null, answer: (info.response ?? '').slice(0, 1024) };
    } catch (e) {
      const err = e as Error & { responseCode?: number; response?: string };
      return { ok: false, responseCode: err.responseCode, error: err.message, answer: err.response?.slice(0, 1024) ?? null };
    }
  }

  private consoleBase(): string {
    return (this.config.publicUrl ?? `http://localhost:${this.config.port}`).replace(/\/$/, '') + '/console';
  }

  /** R-W7: the digest of a unit's tickets gone over SLA, as a mail to its addresses. */
  digest(unitCode: string, emails: string[], breaches: Breach[], now: Date): NewMail {
    const lines: DigestLine[] = breaches.map((b) => ({
      number: b.number,
      kind: b.kind,
      problemType: b.problemType,
      area: b.area || '-',
      overMinutes: Math.max(0, Math.floor((now.getTime() - b.slaDeadline.getTime()) / 60_000)),
      link: `${this.consoleBase()}/unit?ticket=${encodeURIComponent(b.number)}`,
    }));
    const { subject, text, html } = digestMail(unitCode, lines);
    return { id: newMessageId(), unitCode, type: 'sla.digest', to: emails, subject, text, html, status: this.sends ? 'PENDING' : 'KEPT', at: now, lines };
  }

  /** R-W4: the notice that an endpoint was disabled, kept in the outbox for the admins' console. */
  endpointDisabledNotice(webhook: Webhook, reason: string, now: Date): NewMail {
    const text = `Endpoint webhook ${webhook.url} dinonaktifkan: ${reason}. Aktifkan kembali di konsol setelah penerima diperbaiki.`;
    return { id: newMessageId(), unitCode: null, type: 'webhook.disabled', to: [], subject: `Webhook dinonaktifkan: ${webhook.url}`, text, html: `<p>${esc(text)}</p>`, status: 'KEPT', at: now };
  }
}
