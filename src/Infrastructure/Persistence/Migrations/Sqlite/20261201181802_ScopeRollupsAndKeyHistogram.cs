using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Sqlite
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
                    scope = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 1, nullable: false),
                    hour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    gap = table.Column<int>(type: "INTEGER", nullable: false),
                    human_keys = table.Column<int>(type: "INTEGER", nullable: false),
                    all_keys = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_key_histogram", x => new { x.scope, x.kind, x.hour, x.gap });
                });

            migrationBuilder.CreateTable(
                name: "link_click_scope_rollups",
                columns: table => new
                {
                    scope = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    hour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    dimension = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    value = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    human_clicks = table.Column<int>(type: "INTEGER", nullable: false),
                    bot_clicks = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_scope_rollups", x => new { x.scope, x.hour, x.dimension, x.value });
                });

            // Sums and counts the clicks already stored.
            // Filled from the raw clicks by the rebuild of migration ClicksAfterCommit (ADR 0021), which every upgrade reaches.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
