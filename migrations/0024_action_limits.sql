-- Per-account action limits: the tenant's changes to the platform's defaults, per action, as
-- {"publish": {"per_hour": 5, "per_day": 20}}. Usage itself is counted in Redis (or in the
-- process without it), never here: it changes with every action of every account.
ALTER TABLE connections ADD COLUMN action_limits jsonb NOT NULL DEFAULT '{}';
