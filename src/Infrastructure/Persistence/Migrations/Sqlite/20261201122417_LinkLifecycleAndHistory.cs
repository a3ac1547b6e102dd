using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LinkLifecycleAndHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "expires_at",
                table: "link_tracking",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "fallback_url",
                table: "link_tracking",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "max_human_clicks",
                table: "link_tracking",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "link_changes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    link_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    field = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    old_value = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    new_value = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    changed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    api_key_id = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_link_changes_links_link_id",
                        column: x => x.link_id,
                        principalTable: "link_tracking",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_link_changes_link_id_changed_at",
                table: "link_changes",
                columns: new[] { "link_id", "changed_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "link_changes");

            migrationBuilder.DropColumn(
                name: "expires_at",
                table: "link_tracking");

            migrationBuilder.DropColumn(
                name: "fallback_url",
                table: "link_tracking");

            migrationBuilder.DropColumn(
                name: "max_human_clicks",
                table: "link_tracking");
        }
    }
}
