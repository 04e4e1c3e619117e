-- Queue lanes and their operator switch. A paused lane keeps its tasks; workers take nothing
-- from it until it is resumed.
CREATE TABLE lanes (
    name       text PRIMARY KEY CHECK (name IN ('high', 'normal', 'bulk', 'verification')),
    paused     boolean NOT NULL DEFAULT false,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by uuid
);
INSERT INTO lanes (name) VALUES ('high'), ('normal'), ('bulk'), ('verification');
GRANT SELECT ON lanes TO linkwright_app;
GRANT SELECT, UPDATE ON lanes TO linkwright_system;
