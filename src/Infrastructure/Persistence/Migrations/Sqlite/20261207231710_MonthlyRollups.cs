using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <summary>ADR 0029: monthly rows of all links and of all links per function, filled from their daily ones as they are.</summary>
    public partial class MonthlyRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "link_click_monthly_rollups",
                columns: table => new
                {
                    scope = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    month = table.Column<DateTime>(type: "TEXT", nullable: false),
                    dimension = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    value = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    human_clicks = table.Column<int>(type: "INTEGER", nullable: false),
                    bot_clicks = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_monthly_rollups", x => new { x.scope, x.dimension, x.month, x.value });
                });

            migrationBuilder.Sql(LinkTracking.Infrastructure.Analytics.Rollups.SqliteClickRollupStore.MonthlyRollupsRebuildSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "link_click_monthly_rollups");
        }
    }
}
