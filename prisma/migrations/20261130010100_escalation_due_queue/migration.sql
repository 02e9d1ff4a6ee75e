-- R-E4: claim-next ranks an open item by its callbackAt when it has one, else by createdAt (URGENT first).
DROP INDEX "escalations_open_queue_idx";
CREATE INDEX "escalations_due_queue_idx" ON "escalations"((("category" <> 'URGENT')), (coalesce("callback_at", "created_at")), "id") WHERE "status" = 'OPEN';
