using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ClicksAfterCommit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "link_click_key_histogram");

            migrationBuilder.DropTable(
                name: "link_click_last_hours");

            migrationBuilder.DropTable(
                name: "link_click_uniques");

            // ADR 0021: clicks are numbered as they are written (the existing ones 0, counted by the rebuild below, without
            // rewriting the table); the rollup worker counts every number above its watermark; distinct keys are
            // HyperLogLog sketches of the hll extension (Debian: postgresql-15-hll).
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS hll;
                CREATE SEQUENCE link_clicks_seq;
                ALTER TABLE link_clicks ADD COLUMN seq bigint NOT NULL DEFAULT 0;
                ALTER TABLE link_clicks ALTER COLUMN seq SET DEFAULT nextval('link_clicks_seq');
                ALTER SEQUENCE link_clicks_seq OWNED BY link_clicks.seq;
                CREATE TABLE click_rollup_state (
                    id integer PRIMARY KEY CHECK (id = 1),
                    rolled_seq bigint NOT NULL,
                    last_seq bigint NOT NULL DEFAULT 0,
                    rolled_at timestamptz NOT NULL);
                INSERT INTO click_rollup_state (id, rolled_seq, rolled_at) VALUES (1, 0, now());
                CREATE TABLE link_click_sketches (
                    scope character varying(120) NOT NULL,
                    kind character varying(1) NOT NULL,
                    hour timestamptz NOT NULL,
                    human_keys hll NOT NULL,
                    all_keys hll NOT NULL,
                    CONSTRAINT pk_link_click_sketches PRIMARY KEY (scope, kind, hour));
                CREATE TABLE link_click_daily_sketches (
                    scope character varying(120) NOT NULL,
                    kind character varying(1) NOT NULL,
                    day timestamptz NOT NULL,
                    human_keys hll NOT NULL,
                    all_keys hll NOT NULL,
                    CONSTRAINT pk_link_click_daily_sketches PRIMARY KEY (scope, kind, day));
                CREATE TABLE link_click_sketch_marks (
                    tracking_id character varying(35) NOT NULL,
                    hour timestamptz NOT NULL,
                    CONSTRAINT pk_link_click_sketch_marks PRIMARY KEY (tracking_id, hour));
                """);

            migrationBuilder.CreateIndex(
                name: "ix_link_clicks_seq",
                table: "link_clicks",
                column: "seq");

            // Without the rebuild's closing count: a bare SELECT is an error inside the DO blocks of `migrate --script`.
            migrationBuilder.Sql(LinkTracking.Infrastructure.Analytics.Rollups.PostgresClickRollupStore.RebuildBeforeMonthsSql.Replace("SELECT count(*) FROM link_clicks;", "", StringComparison.Ordinal));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE link_click_sketch_marks, link_click_daily_sketches, link_click_sketches, click_rollup_state;");

            migrationBuilder.DropIndex(
                name: "ix_link_clicks_seq",
                table: "link_clicks");

            migrationBuilder.DropColumn(
                name: "seq",
                table: "link_clicks");

            migrationBuilder.CreateTable(
                name: "link_click_key_histogram",
                columns: table => new
                {
                    scope = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    kind = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    gap = table.Column<int>(type: "integer", nullable: false),
                    all_keys = table.Column<int>(type: "integer", nullable: false),
                    human_keys = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_key_histogram", x => new { x.scope, x.kind, x.hour, x.gap });
                });

            migrationBuilder.CreateTable(
                name: "link_click_last_hours",
                columns: table => new
                {
                    tracking_id = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: false),
                    last_hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_human_hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_last_hours", x => x.tracking_id);
                });

            migrationBuilder.CreateTable(
                name: "link_click_uniques",
                columns: table => new
                {
                    kind = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    tracking_id = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: false),
                    hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    bot_clicks = table.Column<int>(type: "integer", nullable: false),
                    human_clicks = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_uniques", x => new { x.kind, x.key, x.tracking_id, x.hour });
                });
        }
    }
}
