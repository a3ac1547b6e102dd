using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ScopeRollupsAndKeyHistogram : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_link_click_uniques",
                table: "link_click_uniques");

            migrationBuilder.DropIndex(
                name: "ix_link_click_uniques_kind_hour",
                table: "link_click_uniques");

            migrationBuilder.AddPrimaryKey(
                name: "pk_link_click_uniques",
                table: "link_click_uniques",
                columns: new[] { "kind", "key", "tracking_id", "hour" });

            migrationBuilder.CreateTable(
                name: "link_click_key_histogram",
                columns: table => new
                {
                    scope = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    kind = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    gap = table.Column<int>(type: "integer", nullable: false),
                    human_keys = table.Column<int>(type: "integer", nullable: false),
                    all_keys = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_key_histogram", x => new { x.scope, x.kind, x.hour, x.gap });
                });

            migrationBuilder.CreateTable(
                name: "link_click_scope_rollups",
                columns: table => new
                {
                    scope = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    dimension = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    value = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    human_clicks = table.Column<int>(type: "integer", nullable: false),
                    bot_clicks = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_scope_rollups", x => new { x.scope, x.hour, x.dimension, x.value });
                });

            // The rollups' reads (one link or scope, a range of hours) become index-only scans: the counts are in the key's
            // index. Updates of the counts are then not HOT; vacuum removes the index entries they leave (ADR 0020).
            migrationBuilder.Sql("""
                ALTER TABLE link_click_rollups DROP CONSTRAINT pk_link_click_rollups,
                    ADD CONSTRAINT pk_link_click_rollups PRIMARY KEY (tracking_id, hour, dimension, value) INCLUDE (human_clicks, bot_clicks);
                ALTER TABLE link_click_scope_rollups DROP CONSTRAINT pk_link_click_scope_rollups,
                    ADD CONSTRAINT pk_link_click_scope_rollups PRIMARY KEY (scope, hour, dimension, value) INCLUDE (human_clicks, bot_clicks);
                ALTER TABLE link_click_key_histogram DROP CONSTRAINT pk_link_click_key_histogram,
                    ADD CONSTRAINT pk_link_click_key_histogram PRIMARY KEY (scope, kind, hour, gap) INCLUDE (human_keys, all_keys);
                """);

            // Sums and counts the clicks already stored.
            // Filled from the raw clicks by the rebuild of migration ClicksAfterCommit (ADR 0021), which every upgrade reaches.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE link_click_rollups DROP CONSTRAINT pk_link_click_rollups,
                    ADD CONSTRAINT pk_link_click_rollups PRIMARY KEY (tracking_id, hour, dimension, value);
                """);

            migrationBuilder.DropTable(
                name: "link_click_key_histogram");

            migrationBuilder.DropTable(
                name: "link_click_scope_rollups");

            migrationBuilder.DropPrimaryKey(
                name: "pk_link_click_uniques",
                table: "link_click_uniques");

            migrationBuilder.AddPrimaryKey(
                name: "pk_link_click_uniques",
                table: "link_click_uniques",
                columns: new[] { "tracking_id", "hour", "kind", "key" });

            migrationBuilder.CreateIndex(
                name: "ix_link_click_uniques_kind_hour",
                table: "link_click_uniques",
                columns: new[] { "kind", "hour" });
        }
    }
}
