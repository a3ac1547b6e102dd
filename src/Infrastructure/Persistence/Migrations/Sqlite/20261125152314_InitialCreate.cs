using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    key_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    key_prefix = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    scopes = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_used_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    revoked_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "link_clicks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tracking_id = table.Column<string>(type: "TEXT", maxLength: 35, nullable: false),
                    clicked_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ip_address = table.Column<string>(type: "TEXT", maxLength: 45, nullable: true),
                    user_agent = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    referrer_url = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    session_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    click_source = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    metadata = table.Column<string>(type: "TEXT", nullable: true),
                    event_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    is_bot = table.Column<bool>(type: "INTEGER", nullable: false),
                    bot_reason = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_clicks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "link_tracking",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tracking_id = table.Column<string>(type: "TEXT", maxLength: 35, nullable: false),
                    original_url = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    link_function = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    link_type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    job_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    application_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    is_active = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_tracking", x => x.id);
                    table.UniqueConstraint("ak_link_tracking_tracking_id", x => x.tracking_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_key_hash",
                table: "api_keys",
                column: "key_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_link_clicks_clicked_at",
                table: "link_clicks",
                column: "clicked_at");

            migrationBuilder.CreateIndex(
                name: "ix_link_clicks_tracking_id_clicked_at",
                table: "link_clicks",
                columns: new[] { "tracking_id", "clicked_at" });

            migrationBuilder.CreateIndex(
                name: "ix_link_clicks_tracking_id_event_id",
                table: "link_clicks",
                columns: new[] { "tracking_id", "event_id" },
                unique: true,
                filter: "event_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_link_tracking_application_id_link_function",
                table: "link_tracking",
                columns: new[] { "application_id", "link_function" });

            migrationBuilder.CreateIndex(
                name: "ix_link_tracking_created_at",
                table: "link_tracking",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_link_tracking_job_id_link_function",
                table: "link_tracking",
                columns: new[] { "job_id", "link_function" });

            migrationBuilder.CreateIndex(
                name: "ix_link_tracking_link_function",
                table: "link_tracking",
                column: "link_function");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "link_clicks");

            migrationBuilder.DropTable(
                name: "link_tracking");
        }
    }
}
