using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ClassificationRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "classification_rules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    origin = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    bot_category = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    click_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    api_key_id = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_classification_rules", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_classification_rules_origin",
                table: "classification_rules",
                column: "origin",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "classification_rules");
        }
    }
}
