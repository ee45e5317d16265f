-- migrate:up
CREATE TYPE monitor_status AS ENUM ('PENDING', 'UP', 'DOWN');

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  password_hash text NOT NULL,
  is_admin boolean NOT NULL DEFAULT false,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE monitors (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  url text NOT NULL,
  method text NOT NULL,
  interval_seconds integer NOT NULL CHECK (interval_seconds >= 10),
  timeout_seconds integer NOT NULL CHECK (timeout_seconds > 0),
  expected_status_min integer NOT NULL,
  expected_status_max integer NOT NULL,
  paused boolean NOT NULL DEFAULT false,
  status monitor_status NOT NULL DEFAULT 'PENDING',
  next_check_at timestamptz(3) NOT NULL,
  last_slot timestamptz(3),
  last_checked_at timestamptz(3),
  last_latency_ms integer,
  last_error text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (expected_status_min <= expected_status_max)
);
CREATE INDEX monitors_user_id_idx ON monitors (user_id);
CREATE INDEX monitors_next_check_at_idx ON monitors (next_check_at);

CREATE TABLE check_results (
  id bigserial PRIMARY KEY,
  monitor_id uuid NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
  slot timestamptz(3) NOT NULL,
  checked_at timestamptz(3) NOT NULL,
  ok boolean NOT NULL,
  status_code integer,
  latency_ms integer NOT NULL,
  error text
);
-- One result per monitor and due slot: a check job that runs twice writes once.
CREATE UNIQUE INDEX check_results_monitor_id_slot_key ON check_results (monitor_id, slot);
CREATE INDEX check_results_checked_at_idx ON check_results (checked_at);

CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  monitor_id uuid NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
  opened_at timestamptz(3) NOT NULL,
  resolved_at timestamptz(3),
  cause text NOT NULL
);
CREATE INDEX incidents_monitor_id_opened_at_idx ON incidents (monitor_id, opened_at);
-- At most one open incident per monitor (Prisma cannot model a partial index).
CREATE UNIQUE INDEX incidents_one_open_per_monitor ON incidents (monitor_id) WHERE resolved_at IS NULL;

-- migrate:down
DROP TABLE incidents;
DROP TABLE check_results;
DROP TABLE monitors;
DROP TABLE users;
DROP TYPE monitor_status;
