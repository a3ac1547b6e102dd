using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LastClickHours : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "link_click_last_hours",
                columns: table => new
                {
                    tracking_id = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: false),
                    last_human_hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_last_hours", x => x.tracking_id);
                });

            // Each link's last hours, from the rollups already stored (ADR 0020).
            // Filled from the raw clicks by the rebuild of migration ClicksAfterCommit (ADR 0021), which every upgrade reaches.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "link_click_last_hours");
        }
    }
}
