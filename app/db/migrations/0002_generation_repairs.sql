-- How many repairs a stage output needed before it validated (issue 12, ADR 012).
ALTER TABLE generations ADD COLUMN repairs integer NOT NULL DEFAULT 0;
