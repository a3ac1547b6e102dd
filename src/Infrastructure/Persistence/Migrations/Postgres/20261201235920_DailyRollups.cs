using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DailyRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "link_click_daily_rollups",
                columns: table => new
                {
                    scope = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    day = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    dimension = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    value = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    human_clicks = table.Column<int>(type: "integer", nullable: false),
                    bot_clicks = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_daily_rollups", x => new { x.scope, x.dimension, x.day, x.value });
                });

            // The dimension before the hour: the hourly series reads only its category rows, and every read lists the
            // dimensions it wants (ADR 0020). The counts stay in the keys' index, so the reads are index-only scans.
            migrationBuilder.Sql("""
                ALTER TABLE link_click_rollups DROP CONSTRAINT pk_link_click_rollups,
                    ADD CONSTRAINT pk_link_click_rollups PRIMARY KEY (tracking_id, dimension, hour, value) INCLUDE (human_clicks, bot_clicks);
                ALTER TABLE link_click_scope_rollups DROP CONSTRAINT pk_link_click_scope_rollups,
                    ADD CONSTRAINT pk_link_click_scope_rollups PRIMARY KEY (scope, dimension, hour, value) INCLUDE (human_clicks, bot_clicks);
                ALTER TABLE link_click_daily_rollups DROP CONSTRAINT pk_link_click_daily_rollups,
                    ADD CONSTRAINT pk_link_click_daily_rollups PRIMARY KEY (scope, dimension, day, value) INCLUDE (human_clicks, bot_clicks);
                """);

            // Sums the hourly rows already stored.
            // Filled from the raw clicks by the rebuild of migration ClicksAfterCommit (ADR 0021), which every upgrade reaches.
            migrationBuilder.Sql("ANALYZE link_click_daily_rollups;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "link_click_daily_rollups");

            migrationBuilder.Sql("""
                ALTER TABLE link_click_rollups DROP CONSTRAINT pk_link_click_rollups,
                    ADD CONSTRAINT pk_link_click_rollups PRIMARY KEY (tracking_id, hour, dimension, value) INCLUDE (human_clicks, bot_clicks);
                ALTER TABLE link_click_scope_rollups DROP CONSTRAINT pk_link_click_scope_rollups,
                    ADD CONSTRAINT pk_link_click_scope_rollups PRIMARY KEY (scope, hour, dimension, value) INCLUDE (human_clicks, bot_clicks);
                """);
        }
    }
}
