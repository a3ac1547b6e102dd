using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkTracking.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// ADR 0027: the applications' funnel facts and their counts per sent hour, kept incrementally from marks that
    /// triggers write (PostgreSQL only; SQLite reads the funnel directly). Every application is marked, so the first
    /// refresh computes them all.
    /// </summary>
    public partial class ApplicationFunnel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(LinkTracking.Infrastructure.Outcomes.PostgresApplicationFunnel.CreateSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(LinkTracking.Infrastructure.Outcomes.PostgresApplicationFunnel.DropSql);
        }
    }
}
