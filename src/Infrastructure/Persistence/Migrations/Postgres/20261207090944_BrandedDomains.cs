using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BrandedDomains : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "domain",
                table: "link_tracking",
                type: "character varying(253)",
                maxLength: 253,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "short_code",
                table: "link_tracking",
                type: "character varying(7)",
                maxLength: 7,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_link_tracking_domain_short_code",
                table: "link_tracking",
                columns: new[] { "domain", "short_code" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_link_tracking_domain_short_code",
                table: "link_tracking");

            migrationBuilder.DropColumn(
                name: "domain",
                table: "link_tracking");

            migrationBuilder.DropColumn(
                name: "short_code",
                table: "link_tracking");
        }
    }
}
