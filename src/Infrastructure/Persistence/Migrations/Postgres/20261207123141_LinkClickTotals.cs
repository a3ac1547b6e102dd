using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>ADR 0026: each link's clicks of all time (<c>link_click_totals</c>), which the funnel joins.</summary>
    public partial class LinkClickTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "link_click_totals",
                columns: table => new
                {
                    tracking_id = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: false),
                    human_clicks = table.Column<long>(type: "bigint", nullable: false),
                    bot_clicks = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_click_totals", x => x.tracking_id);
                });

            // The links' totals of the clicks counted so far (the worker and the corrections keep them from here on).
            migrationBuilder.Sql(LinkTracking.Infrastructure.Analytics.Rollups.PostgresClickRollupStore.TotalsRebuildSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "link_click_totals");
        }
    }
}
