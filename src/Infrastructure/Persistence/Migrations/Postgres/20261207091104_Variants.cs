using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Variants : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "variants",
                table: "link_tracking",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "variant",
                table: "link_clicks",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_link_clicks_tracking_id_variant",
                table: "link_clicks",
                columns: new[] { "tracking_id", "variant" },
                filter: "variant IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_link_clicks_tracking_id_variant",
                table: "link_clicks");

            migrationBuilder.DropColumn(
                name: "variants",
                table: "link_tracking");

            migrationBuilder.DropColumn(
                name: "variant",
                table: "link_clicks");
        }
    }
}
