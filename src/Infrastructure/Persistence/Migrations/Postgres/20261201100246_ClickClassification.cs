using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ClickClassification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "sent_at",
                table: "link_tracking",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "bot_category",
                table: "link_clicks",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "human");

            migrationBuilder.AddColumn<string>(
                name: "origin",
                table: "link_clicks",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "signals",
                table: "link_clicks",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            // Bots recorded before categories had a reason only: a HEAD request was a link checker, an agent match a crawler.
            migrationBuilder.Sql(
                "UPDATE link_clicks SET bot_category = CASE WHEN bot_reason = 'head_request' THEN 'scanner' ELSE 'crawler' END, " +
                "signals = CASE WHEN bot_reason = 'user_agent' THEN 'agent_list' ELSE bot_reason END, " +
                "bot_reason = CASE WHEN bot_reason = 'user_agent' THEN 'agent_list' ELSE bot_reason END " +
                "WHERE is_bot;");

            migrationBuilder.CreateIndex(
                name: "ix_link_clicks_origin_clicked_at",
                table: "link_clicks",
                columns: new[] { "origin", "clicked_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_link_clicks_origin_clicked_at",
                table: "link_clicks");

            migrationBuilder.DropColumn(
                name: "sent_at",
                table: "link_tracking");

            migrationBuilder.DropColumn(
                name: "bot_category",
                table: "link_clicks");

            migrationBuilder.DropColumn(
                name: "origin",
                table: "link_clicks");

            migrationBuilder.DropColumn(
                name: "signals",
                table: "link_clicks");
        }
    }
}
