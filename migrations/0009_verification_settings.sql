-- How a placement's link is compared (www. and a trailing slash ignored or not, per placement),
-- and how often a campaign's placements are checked again (per campaign; placements without a
-- campaign keep their own interval, daily by default).
ALTER TABLE placements
    ADD COLUMN ignore_www boolean NOT NULL DEFAULT true,
    ADD COLUMN ignore_trailing_slash boolean NOT NULL DEFAULT true;
ALTER TABLE campaigns
    ADD COLUMN verify_every_hours integer NOT NULL DEFAULT 24 CHECK (verify_every_hours BETWEEN 1 AND 720);
