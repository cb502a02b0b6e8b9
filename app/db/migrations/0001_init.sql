-- Initial schema (DESIGN §6). Statements are separated by `--> statement-breakpoint`
-- lines, Drizzle's convention, because PGlite cannot run several statements in one query.
-- Timestamps keep milliseconds only, so they survive JS Dates and pagination cursors.

CREATE TABLE users (
  id text PRIMARY KEY,
  email text NOT NULL,
  password_hash text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT users_email_lowercase CHECK (email = lower(email))
);
--> statement-breakpoint
CREATE TABLE api_tokens (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  prefix text NOT NULL,
  token_hash text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  last_used_at timestamptz(3),
  revoked_at timestamptz(3),
  CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);
--> statement-breakpoint
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);
--> statement-breakpoint
CREATE TABLE projects (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  slug text NOT NULL,
  directive text NOT NULL,
  title text NOT NULL,
  visibility text NOT NULL DEFAULT 'private',
  status text NOT NULL DEFAULT 'queued',
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT projects_slug_key UNIQUE (slug),
  CONSTRAINT projects_visibility_check CHECK (visibility IN ('private', 'public')),
  CONSTRAINT projects_status_check CHECK (status IN ('queued', 'running', 'completed', 'failed'))
);
--> statement-breakpoint
-- Serves the owner's keyset-paginated list, and as its leading column the projects(user_id)
-- lookups and the ON DELETE CASCADE from users: a separate user_id index would be redundant.
CREATE INDEX projects_user_id_created_at_id_idx ON projects (user_id, created_at DESC, id DESC);
--> statement-breakpoint
CREATE INDEX projects_public_created_at_id_idx ON projects (created_at DESC, id DESC)
  WHERE visibility = 'public';
--> statement-breakpoint
CREATE TABLE generations (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  stage text NOT NULL,
  version integer NOT NULL,
  status text NOT NULL,
  output jsonb,
  provider text NOT NULL,
  model text NOT NULL,
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  cost_usd numeric(14, 8) NOT NULL DEFAULT 0,
  ttft_ms integer NOT NULL DEFAULT 0,
  duration_ms integer NOT NULL DEFAULT 0,
  cached boolean NOT NULL DEFAULT false,
  -- Hash of the stage's inputs, to tell whether a regeneration would change anything.
  input_hash text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  -- Its leading column makes it the generations(project_id) index as well.
  CONSTRAINT generations_project_id_stage_version_key UNIQUE (project_id, stage, version),
  CONSTRAINT generations_stage_check
    CHECK (stage IN ('product', 'brand', 'design', 'architecture', 'code')),
  CONSTRAINT generations_version_check CHECK (version > 0),
  CONSTRAINT generations_status_check CHECK (status IN ('completed', 'stale', 'failed'))
);
--> statement-breakpoint
CREATE INDEX generations_created_at_idx ON generations (created_at);
