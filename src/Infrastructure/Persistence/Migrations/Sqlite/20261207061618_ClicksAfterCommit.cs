using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Sqlite
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

            migrationBuilder.DropPrimaryKey(
                name: "pk_link_click_uniques",
                table: "link_click_uniques");

            migrationBuilder.AddColumn<long>(
                name: "seq",
                table: "link_clicks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddPrimaryKey(
                name: "pk_link_click_uniques",
                table: "link_click_uniques",
                columns: new[] { "tracking_id", "hour", "kind", "key" });

            migrationBuilder.CreateIndex(
                name: "ix_link_clicks_seq",
                table: "link_clicks",
                column: "seq");

            // ADR 0021: clicks are numbered by their writer (the existing ones 0, counted by the rebuild below); the
            // rollup worker counts every number above its watermark.
            migrationBuilder.Sql("""
                CREATE TABLE click_rollup_state (
                    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                    rolled_seq INTEGER NOT NULL,
                    last_seq INTEGER NOT NULL,
                    rolled_at TEXT NOT NULL);
                INSERT INTO click_rollup_state (id, rolled_seq, last_seq, rolled_at) VALUES (1, 0, 0, strftime('%Y-%m-%d %H:%M:%f', 'now'));
                """);
            migrationBuilder.Sql(LinkTracking.Infrastructure.Analytics.Rollups.SqliteClickRollupStore.RebuildBeforeMonthsSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE click_rollup_state;");

            migrationBuilder.DropIndex(
                name: "ix_link_clicks_seq",
                table: "link_clicks");

            migrationBuilder.DropPrimaryKey(
                name: "pk_link_click_uniques",
                table: "link_click_uniques");

            migrationBuilder.DropColumn(
                name: "seq",
                table: "link_clicks");

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
                    all_keys = table.Column<int>(type: "INTEGER", nullable: false),
                    human_keys = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_key_histogram", x => new { x.scope, x.kind, x.hour, x.gap });
                });

            migrationBuilder.CreateTable(
                name: "link_click_last_hours",
                columns: table => new
                {
                    tracking_id = table.Column<string>(type: "TEXT", maxLength: 35, nullable: false),
                    last_hour = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_human_hour = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_last_hours", x => x.tracking_id);
                });
        }
    }
}
