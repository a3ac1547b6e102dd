using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// ADR 0028: the report's link statistics kept incrementally — links per function and state, distinct jobs and
    /// applications, links per last counted hour (two new columns of <c>link_click_totals</c>) — from changes that
    /// triggers append (PostgreSQL only; SQLite counts the links directly). Filled from the links as they are.
    /// </summary>
    public partial class LinkCensus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(LinkTracking.Infrastructure.Analytics.PostgresLinkCensus.CreateSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(LinkTracking.Infrastructure.Analytics.PostgresLinkCensus.DropSql);
        }
    }
}
