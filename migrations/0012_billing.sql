-- Billing: what each plan charges (a monthly base and per-unit prices per ledger kind, optionally
-- tiered by the month's quantity), and the frozen reports of closed months.
--
-- Prices are platform data in integer micro-dollars. A tier applies to the units of the month
-- from its from_quantity on (graduated: the first 500 placements at one price, the rest at
-- another). A closed month's report is stored as rendered (JSON, CSV, HTML) the first time it
-- is produced after the month ends, so it reads the same byte for byte whatever changes later.

CREATE TABLE plan_prices (
    plan        text PRIMARY KEY REFERENCES plans (name),
    base_micros bigint NOT NULL CHECK (base_micros >= 0)
);
INSERT INTO plan_prices (plan, base_micros) VALUES ('free', 0), ('pro', 49000000), ('agency', 299000000);

CREATE TABLE plan_unit_prices (
    plan            text NOT NULL REFERENCES plans (name),
    kind            text NOT NULL REFERENCES unit_costs (kind),
    from_quantity   bigint NOT NULL DEFAULT 0 CHECK (from_quantity >= 0),
    micros_per_unit bigint NOT NULL CHECK (micros_per_unit >= 0),
    PRIMARY KEY (plan, kind, from_quantity)
);
INSERT INTO plan_unit_prices (plan, kind, from_quantity, micros_per_unit) VALUES
    ('free',   'placement',         0, 2000000),
    ('free',   'verification',      0,    1000),
    ('free',   'llm_tokens',        0,       4),
    ('free',   'scrape_credits',    0,    2000),
    ('pro',    'placement',         0, 1500000),
    ('pro',    'placement',       500, 1200000),
    ('pro',    'verification',      0,     500),
    ('pro',    'llm_tokens',        0,       3),
    ('pro',    'scrape_credits',    0,    1500),
    ('agency', 'placement',         0, 1000000),
    ('agency', 'placement',      5000,  800000),
    ('agency', 'verification',      0,     250),
    ('agency', 'llm_tokens',        0,       2),
    ('agency', 'scrape_credits',    0,    1000);
GRANT SELECT ON plan_prices, plan_unit_prices TO linkwright_app, linkwright_system;

CREATE TABLE billing_reports (
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    period     text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    plan       text NOT NULL,
    total_cents bigint NOT NULL,
    json       text NOT NULL,
    csv        text NOT NULL,
    html       text NOT NULL,
    closed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, period)
);
SELECT enable_tenant_rls('billing_reports');
-- Frozen: written once, never changed.
REVOKE UPDATE, DELETE ON billing_reports FROM linkwright_app, linkwright_system;
