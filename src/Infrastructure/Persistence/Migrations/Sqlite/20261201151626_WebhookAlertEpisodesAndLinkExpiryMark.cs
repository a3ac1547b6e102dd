using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WebhookAlertEpisodesAndLinkExpiryMark : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "expiry_announced_at",
                table: "link_tracking",
                type: "TEXT",
                nullable: true);

            // Links that expired before this version are not announced: link.expired is for expiries from now on.
            migrationBuilder.Sql("UPDATE link_tracking SET expiry_announced_at = expires_at WHERE expires_at IS NOT NULL AND expires_at <= strftime('%Y-%m-%d %H:%M:%f', 'now');");

            migrationBuilder.CreateTable(
                name: "webhook_alert_episodes",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    raised_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    cleared_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_alert_episodes", x => x.key);
                });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_outbox_completed_at",
                table: "webhook_outbox",
                column: "completed_at");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_attempted_at",
                table: "webhook_deliveries",
                column: "attempted_at");

            migrationBuilder.CreateIndex(
                name: "ix_link_tracking_expiry_announced_at_expires_at",
                table: "link_tracking",
                columns: new[] { "expiry_announced_at", "expires_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "webhook_alert_episodes");

            migrationBuilder.DropIndex(
                name: "ix_webhook_outbox_completed_at",
                table: "webhook_outbox");

            migrationBuilder.DropIndex(
                name: "ix_webhook_deliveries_attempted_at",
                table: "webhook_deliveries");

            migrationBuilder.DropIndex(
                name: "ix_link_tracking_expiry_announced_at_expires_at",
                table: "link_tracking");

            migrationBuilder.DropColumn(
                name: "expiry_announced_at",
                table: "link_tracking");
        }
    }
}
