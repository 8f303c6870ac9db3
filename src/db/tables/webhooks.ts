// Webhook endpoints and the delivery outbox (src/modules/webhook).
export {};
