-- What a model provider's tokens cost us, per provider and per direction: prompt and completion
-- tokens are priced far apart, and far below one micro-dollar each, so prices are micro-dollars
-- per million tokens. A task's llm_tokens ledger row is priced from here for each provider that
-- has a row (rounded up to a whole micro-dollar per task) and from unit_costs otherwise. Platform
-- data like unit_costs: operators change it with SQL (the defaults are the list prices of the
-- default models: gpt-4o-mini, claude-3-5-haiku, gemini-2.0-flash; a local server behind the
-- openai base URL costs nothing and should be set to 0).
CREATE TABLE provider_token_costs (
    provider                  text PRIMARY KEY CHECK (provider ~ '^[a-z][a-z0-9_-]{0,39}$'),
    input_micros_per_million  bigint NOT NULL CHECK (input_micros_per_million >= 0),
    output_micros_per_million bigint NOT NULL CHECK (output_micros_per_million >= 0)
);
INSERT INTO provider_token_costs (provider, input_micros_per_million, output_micros_per_million) VALUES
    ('openai',     150000,  600000),
    ('anthropic',  800000, 4000000),
    ('gemini',     100000,  400000);
GRANT SELECT ON provider_token_costs TO linkwright_app, linkwright_system;

-- Which providers' tokens a ledger row charges (comma-separated, in name order), for a person
-- reading the ledger; null for every other kind.
ALTER TABLE cost_ledger ADD COLUMN providers text;
