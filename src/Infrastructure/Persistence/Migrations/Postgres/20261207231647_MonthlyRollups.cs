using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// ADR 0029: monthly rows and session sketches of all links and of all links per function, filled from their daily
    /// ones as they are.
    /// </summary>
    public partial class MonthlyRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "link_click_monthly_rollups",
                columns: table => new
                {
                    scope = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    month = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    dimension = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    value = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    human_clicks = table.Column<int>(type: "integer", nullable: false),
                    bot_clicks = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_monthly_rollups", x => new { x.scope, x.dimension, x.month, x.value });
                });

            migrationBuilder.Sql($"""
                CREATE TABLE link_click_monthly_sketches (
                    scope character varying(120) NOT NULL,
                    kind character varying(1) NOT NULL,
                    month timestamptz NOT NULL,
                    human_keys hll NOT NULL,
                    all_keys hll NOT NULL,
                    CONSTRAINT pk_link_click_monthly_sketches PRIMARY KEY (scope, kind, month));
                {LinkTracking.Infrastructure.Analytics.Rollups.PostgresClickRollupStore.MonthsRebuildSql}
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE link_click_monthly_sketches;");

            migrationBuilder.DropTable(
                name: "link_click_monthly_rollups");
        }
    }
}
