CREATE TYPE "public"."metric" AS ENUM('views', 'likes', 'shares', 'comments', 'saves', 'clicks', 'impressions', 'reach', 'watch_seconds');--> statement-breakpoint
CREATE TABLE "metric_events" (
	"owner_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"publication_id" uuid NOT NULL,
	"metric" "metric" NOT NULL,
	"delta" bigint NOT NULL,
	"total" bigint,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_events_owner_id_event_id_pk" PRIMARY KEY("owner_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "owner_daily_rollups" (
	"owner_id" uuid NOT NULL,
	"platform" "platform" NOT NULL,
	"day" date NOT NULL,
	"views" bigint DEFAULT 0 NOT NULL,
	"likes" bigint DEFAULT 0 NOT NULL,
	"shares" bigint DEFAULT 0 NOT NULL,
	"comments" bigint DEFAULT 0 NOT NULL,
	"saves" bigint DEFAULT 0 NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"impressions" bigint DEFAULT 0 NOT NULL,
	"reach" bigint DEFAULT 0 NOT NULL,
	"watch_seconds" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "owner_daily_rollups_owner_id_platform_day_pk" PRIMARY KEY("owner_id","platform","day")
);
--> statement-breakpoint
CREATE TABLE "owner_hourly_rollups" (
	"owner_id" uuid NOT NULL,
	"platform" "platform" NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"views" bigint DEFAULT 0 NOT NULL,
	"likes" bigint DEFAULT 0 NOT NULL,
	"shares" bigint DEFAULT 0 NOT NULL,
	"comments" bigint DEFAULT 0 NOT NULL,
	"saves" bigint DEFAULT 0 NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"impressions" bigint DEFAULT 0 NOT NULL,
	"reach" bigint DEFAULT 0 NOT NULL,
	"watch_seconds" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "owner_hourly_rollups_owner_id_platform_hour_pk" PRIMARY KEY("owner_id","platform","hour")
);
--> statement-breakpoint
CREATE TABLE "publication_daily_rollups" (
	"publication_id" uuid NOT NULL,
	"day" date NOT NULL,
	"owner_id" uuid NOT NULL,
	"video_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"platform" "platform" NOT NULL,
	"views" bigint DEFAULT 0 NOT NULL,
	"likes" bigint DEFAULT 0 NOT NULL,
	"shares" bigint DEFAULT 0 NOT NULL,
	"comments" bigint DEFAULT 0 NOT NULL,
	"saves" bigint DEFAULT 0 NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"impressions" bigint DEFAULT 0 NOT NULL,
	"reach" bigint DEFAULT 0 NOT NULL,
	"watch_seconds" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "publication_daily_rollups_publication_id_day_pk" PRIMARY KEY("publication_id","day")
);
--> statement-breakpoint
CREATE TABLE "publication_hourly_rollups" (
	"publication_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"owner_id" uuid NOT NULL,
	"video_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"platform" "platform" NOT NULL,
	"views" bigint DEFAULT 0 NOT NULL,
	"likes" bigint DEFAULT 0 NOT NULL,
	"shares" bigint DEFAULT 0 NOT NULL,
	"comments" bigint DEFAULT 0 NOT NULL,
	"saves" bigint DEFAULT 0 NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"impressions" bigint DEFAULT 0 NOT NULL,
	"reach" bigint DEFAULT 0 NOT NULL,
	"watch_seconds" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "publication_hourly_rollups_publication_id_hour_pk" PRIMARY KEY("publication_id","hour")
);
--> statement-breakpoint
ALTER TABLE "metric_events" ADD CONSTRAINT "metric_events_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_events" ADD CONSTRAINT "metric_events_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "owner_daily_rollups" ADD CONSTRAINT "owner_daily_rollups_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "owner_hourly_rollups" ADD CONSTRAINT "owner_hourly_rollups_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_daily_rollups" ADD CONSTRAINT "publication_daily_rollups_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_daily_rollups" ADD CONSTRAINT "publication_daily_rollups_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_daily_rollups" ADD CONSTRAINT "publication_daily_rollups_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_daily_rollups" ADD CONSTRAINT "publication_daily_rollups_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_hourly_rollups" ADD CONSTRAINT "publication_hourly_rollups_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_hourly_rollups" ADD CONSTRAINT "publication_hourly_rollups_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_hourly_rollups" ADD CONSTRAINT "publication_hourly_rollups_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_hourly_rollups" ADD CONSTRAINT "publication_hourly_rollups_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_events_publication_id_metric_idx" ON "metric_events" USING btree ("publication_id","metric");--> statement-breakpoint
CREATE INDEX "metric_events_occurred_at_idx" ON "metric_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "publication_daily_rollups_owner_id_day_idx" ON "publication_daily_rollups" USING btree ("owner_id","day");--> statement-breakpoint
CREATE INDEX "publication_daily_rollups_video_id_day_idx" ON "publication_daily_rollups" USING btree ("video_id","day");--> statement-breakpoint
CREATE INDEX "publication_hourly_rollups_owner_id_hour_idx" ON "publication_hourly_rollups" USING btree ("owner_id","hour");--> statement-breakpoint
CREATE INDEX "publication_hourly_rollups_video_id_hour_idx" ON "publication_hourly_rollups" USING btree ("video_id","hour");