using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrphanVisits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "orphan_visits",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    visited_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ip_partial = table.Column<string>(type: "TEXT", maxLength: 45, nullable: true),
                    user_agent = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    referrer = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    bot_category = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_orphan_visits", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_orphan_visits_visited_at",
                table: "orphan_visits",
                column: "visited_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "orphan_visits");
        }
    }
}
