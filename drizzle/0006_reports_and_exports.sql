ALTER TYPE "public"."notification_kind" ADD VALUE 'report_run_succeeded';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'report_run_failed';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'export_ready';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'webhook_endpoint_disabled';--> statement-breakpoint
CREATE TABLE "exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"report_id" uuid,
	"run_id" uuid,
	"format" text NOT NULL,
	"title" text NOT NULL,
	"definition" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" real DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"dead_lettered" boolean DEFAULT false NOT NULL,
	"rows" integer,
	"bytes" bigint,
	"storage_key" text,
	"file_name" text,
	"content_type" text,
	"error_code" text,
	"error" text,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "exports_status_check" CHECK ("exports"."status" in ('queued', 'running', 'succeeded', 'failed')),
	CONSTRAINT "exports_format_check" CHECK ("exports"."format" in ('csv', 'xlsx', 'json', 'ndjson', 'pdf'))
);
--> statement-breakpoint
CREATE TABLE "report_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"scheduled_for" timestamp with time zone,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" real DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"resolved" jsonb,
	"rows" integer,
	"error" text,
	"dead_lettered" boolean DEFAULT false NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "report_runs_status_check" CHECK ("report_runs"."status" in ('queued', 'running', 'succeeded', 'failed')),
	CONSTRAINT "report_runs_trigger_check" CHECK ("report_runs"."trigger" in ('manual', 'schedule'))
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"kind" text DEFAULT 'custom' NOT NULL,
	"definition" jsonb NOT NULL,
	"schedule_cron" text,
	"schedule_time_zone" text,
	"schedule_paused" boolean DEFAULT false NOT NULL,
	"schedule_formats" text[] DEFAULT '{csv}'::text[] NOT NULL,
	"recipients" text[] DEFAULT '{}'::text[] NOT NULL,
	"skip_if_empty" boolean DEFAULT false NOT NULL,
	"next_run_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reports_kind_check" CHECK ("reports"."kind" in ('performance', 'growth', 'comparison', 'custom'))
);
--> statement-breakpoint
ALTER TABLE "exports" ADD CONSTRAINT "exports_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exports" ADD CONSTRAINT "exports_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exports" ADD CONSTRAINT "exports_run_id_report_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."report_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_runs" ADD CONSTRAINT "report_runs_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_runs" ADD CONSTRAINT "report_runs_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exports_owner_id_created_at_id_idx" ON "exports" USING btree ("owner_id","created_at","id");--> statement-breakpoint
CREATE INDEX "exports_run_id_idx" ON "exports" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "exports_expires_at_idx" ON "exports" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "report_runs_report_id_queued_at_id_idx" ON "report_runs" USING btree ("report_id","queued_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_runs_report_id_scheduled_for_idx" ON "report_runs" USING btree ("report_id","scheduled_for");--> statement-breakpoint
CREATE INDEX "reports_owner_id_created_at_id_idx" ON "reports" USING btree ("owner_id","created_at","id");--> statement-breakpoint
CREATE INDEX "reports_next_run_at_idx" ON "reports" USING btree ("next_run_at");--> statement-breakpoint
-- Reports got their own scope, manage:reports. Keys that held every scope before keep all they
-- could do; narrower keys do not gain it.
UPDATE "api_keys"
SET "scopes" = array_append("scopes", 'manage:reports')
WHERE "scopes" @> ARRAY['read:user', 'write:user', 'read:videos', 'write:videos', 'read:analytics', 'write:metrics', 'manage:webhooks', 'manage:keys']::text[]
  AND NOT ('manage:reports' = ANY ("scopes"));
