using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DailyRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_link_click_scope_rollups",
                table: "link_click_scope_rollups");

            migrationBuilder.DropPrimaryKey(
                name: "pk_link_click_rollups",
                table: "link_click_rollups");

            migrationBuilder.AddPrimaryKey(
                name: "pk_link_click_scope_rollups",
                table: "link_click_scope_rollups",
                columns: new[] { "scope", "dimension", "hour", "value" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_link_click_rollups",
                table: "link_click_rollups",
                columns: new[] { "tracking_id", "dimension", "hour", "value" });

            migrationBuilder.CreateTable(
                name: "link_click_daily_rollups",
                columns: table => new
                {
                    scope = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    day = table.Column<DateTime>(type: "TEXT", nullable: false),
                    dimension = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    value = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    human_clicks = table.Column<int>(type: "INTEGER", nullable: false),
                    bot_clicks = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_daily_rollups", x => new { x.scope, x.dimension, x.day, x.value });
                });

            // Sums the hourly rows already stored.
            // Filled from the raw clicks by the rebuild of migration ClicksAfterCommit (ADR 0021), which every upgrade reaches.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "link_click_daily_rollups");

            migrationBuilder.DropPrimaryKey(
                name: "pk_link_click_scope_rollups",
                table: "link_click_scope_rollups");

            migrationBuilder.DropPrimaryKey(
                name: "pk_link_click_rollups",
                table: "link_click_rollups");

            migrationBuilder.AddPrimaryKey(
                name: "pk_link_click_scope_rollups",
                table: "link_click_scope_rollups",
                columns: new[] { "scope", "hour", "dimension", "value" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_link_click_rollups",
                table: "link_click_rollups",
                columns: new[] { "tracking_id", "hour", "dimension", "value" });
        }
    }
}
