-- Every table keyed by studio, so that it distributes by studio (Citus): a Stripe subscription or refund is
-- recorded, and found, within its studio.
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_pkey;
ALTER TABLE subscriptions ADD PRIMARY KEY (studio_id, subscription_id);
ALTER TABLE refunds DROP CONSTRAINT refunds_pkey;
ALTER TABLE refunds ADD PRIMARY KEY (studio_id, refund_id);
-- A webhook without our metadata is matched to its studio by the subscription it names.
CREATE INDEX subscriptions_by_id ON subscriptions (subscription_id);
