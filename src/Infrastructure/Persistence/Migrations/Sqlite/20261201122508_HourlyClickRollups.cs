using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HourlyClickRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "link_click_rollups",
                columns: table => new
                {
                    tracking_id = table.Column<string>(type: "TEXT", maxLength: 35, nullable: false),
                    hour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    dimension = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    value = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    human_clicks = table.Column<int>(type: "INTEGER", nullable: false),
                    bot_clicks = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_rollups", x => new { x.tracking_id, x.hour, x.dimension, x.value });
                });

            migrationBuilder.CreateTable(
                name: "link_click_uniques",
                columns: table => new
                {
                    tracking_id = table.Column<string>(type: "TEXT", maxLength: 35, nullable: false),
                    hour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 1, nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    human_clicks = table.Column<int>(type: "INTEGER", nullable: false),
                    bot_clicks = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_uniques", x => new { x.tracking_id, x.hour, x.kind, x.key });
                });

            migrationBuilder.CreateIndex(
                name: "ix_link_click_rollups_dimension_hour",
                table: "link_click_rollups",
                columns: new[] { "dimension", "hour" });

            migrationBuilder.CreateIndex(
                name: "ix_link_click_uniques_kind_hour",
                table: "link_click_uniques",
                columns: new[] { "kind", "hour" });

            // Existing clicks are counted once, here; from now on every write keeps the rollups current.
            // Filled from the raw clicks by the rebuild of migration ClicksAfterCommit (ADR 0021), which every upgrade reaches.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "link_click_rollups");

            migrationBuilder.DropTable(
                name: "link_click_uniques");
        }
    }
}
