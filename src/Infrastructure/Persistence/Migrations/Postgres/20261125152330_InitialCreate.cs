using System;
using System.Net;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
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
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    key_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    key_prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    scopes = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_used_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "link_clicks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tracking_id = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: false),
                    clicked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ip_address = table.Column<IPAddress>(type: "inet", nullable: true),
                    user_agent = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    referrer_url = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    session_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    click_source = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    metadata = table.Column<string>(type: "jsonb", nullable: true),
                    event_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    is_bot = table.Column<bool>(type: "boolean", nullable: false),
                    bot_reason = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_clicks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "link_tracking",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tracking_id = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: false),
                    original_url = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    link_function = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    link_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    job_id = table.Column<Guid>(type: "uuid", nullable: true),
                    application_id = table.Column<Guid>(type: "uuid", nullable: true),
                    description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false)
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
