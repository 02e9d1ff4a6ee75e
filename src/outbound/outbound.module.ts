import { Module } from '@nestjs/common';
import { WebhookResolver } from './delivery';
import { DigestService } from './digest.service';
import { Dispatcher } from './dispatcher';
import { Mailer } from './mailer';
import { OutboundMetrics } from './outbound.metrics';
import { OutboundRepository } from './outbound.repository';
import { NotificationsController, WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';
import { UnitsModule } from '../units/units';

// R-W1…R-W7. No other module calls it: the triggers of its migration write its messages (R-W2).
@Module({
  imports: [UnitsModule],
  controllers: [WebhooksController, NotificationsController],
  providers: [OutboundRepository, WebhookResolver, Mailer, OutboundMetrics, Dispatcher, WebhooksService, DigestService],
  exports: [WebhooksService, DigestService, Dispatcher, WebhookResolver],
})
export class OutboundModule {}
