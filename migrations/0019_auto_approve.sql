-- A campaign may let drafts that pass every check skip review, for the tenant's own sites only:
-- the API refuses it for campaigns with comments or forums, and drafts approved this way are
-- marked so the publishing engines use only connections the tenant owns for them.
ALTER TABLE campaigns ADD COLUMN auto_approve boolean NOT NULL DEFAULT false;
ALTER TABLE drafts ADD COLUMN auto_approved boolean NOT NULL DEFAULT false;
