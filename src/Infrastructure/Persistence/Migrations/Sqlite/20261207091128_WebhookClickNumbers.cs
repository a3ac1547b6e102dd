using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WebhookClickNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "withdrawn_at",
                table: "webhook_first_human_clicks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "seq",
                table: "webhook_cursors",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "withdrawn_at",
                table: "webhook_first_human_clicks");

            migrationBuilder.DropColumn(
                name: "seq",
                table: "webhook_cursors");
        }
    }
}
